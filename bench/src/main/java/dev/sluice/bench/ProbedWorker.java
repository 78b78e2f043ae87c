package dev.sluice.bench;

import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workers.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The production worker ({@code WorkerMain}: same settings from the environment, same activity
 * library and {@link SluiceWorker}) plus a {@link ProcessProbe}, as a child process of a benchmark.
 * Protocol on stdin/stdout: it prints {@code READY} once polling; each {@code mark} line read is
 * answered by {@code PROBE key=value…} for the window since the previous mark; end of input stops
 * the worker.
 */
public final class ProbedWorker {
  private ProbedWorker() {}

  public static void main(String[] args) throws Exception {
    ProcessProbe probe = new ProcessProbe();
    WorkerSettings settings = WorkerSettings.fromEnvironment(System.getenv());
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(settings.address()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(settings.namespace()).build());
    SluiceWorker worker =
        SluiceWorker.start(
            client,
            settings.taskQueue(),
            ActivityLibrary.create(System::getenv, new SimpleMeterRegistry()),
            settings.drain(),
            settings.limits());
    System.out.println("READY");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().equals("mark")) {
        System.out.println("PROBE " + ProcessProbe.format(probe.window()));
        System.out.flush();
      }
    }
    worker.close();
    service.shutdown();
    System.exit(0);
  }
}
