package dev.sluice.activities.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.SftpSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadPaths;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing and downloading an {@code sftp://} prefix against an in-process SFTP server (MINA SSHD,
 * password auth, a virtual file system rooted at a temporary directory, on 127.0.0.1).
 */
class SftpFileDownloadTest {
  private static final String RUN_KEY = "ingest_drop_2026-11-22";
  private static final String USER = "loader";
  private static final String PASSWORD = "s3cret";

  @TempDir Path home;
  @TempDir Path lake;
  private SshServer server;
  private KeyPair hostKey;
  private KeyPair userKey;
  private DownloadEnvironment env;

  @BeforeEach
  void setUp() throws Exception {
    hostKey = KeyUtilsForTest.ec();
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    userKey = KeyUtilsForTest.ec();
    server.setPasswordAuthenticator(
        (user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
    server.setPublickeyAuthenticator(
        (user, key, session) ->
            USER.equals(user) && KeyUtils.compareKeys(key, userKey.getPublic()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(home));
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.start();
    write("drop/a.csv", "id\n1\n");
    write("drop/sub/b.csv", "id\n2\n3\n");
    write("drop/sub/c.json", "{\"id\":4}\n");
    write("drop/_hidden/x.csv", "not listed\n");
    write("drop/.partial.csv", "not listed\n");
    env =
        new DownloadEnvironment(
            Map.of(
                "SFTP_PASSWORD", PASSWORD,
                "WRONG_PASSWORD", "guess",
                "KNOWN_HOSTS", knownHostsLine(hostKey),
                "OTHER_HOSTS", knownHostsLine(KeyUtilsForTest.ec()),
                "USER_KEY", KeyUtilsForTest.openSsh(userKey)));
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
    server.stop(true);
  }

  private void write(String name, String content) throws Exception {
    Path p = home.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-11-20T10:00:00Z")));
  }

  private String knownHostsLine(KeyPair key) {
    return "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key.getPublic());
  }

  private FilesSource source(String pattern, SftpSpec sftp) {
    String prefix = "sftp://" + USER + "@127.0.0.1:" + server.getPort() + "/drop";
    return new FilesSource(null, null, prefix, pattern, null, null, null, sftp);
  }

  private static SftpSpec sandbox(String passwordVariable) {
    return new SftpSpec("${env:" + passwordVariable + "}", null, null, true);
  }

  private ListFilesResult list(FilesSource source) {
    return env.list(
        new ListFilesRequest(
            source, FileDownloadPaths.listing(lake.toUri().toString(), RUN_KEY), Map.of()));
  }

  private List<String> listedNames(FilesSource source) throws Exception {
    ListFilesResult result = list(source);
    List<String> lines = Files.readAllLines(lake.resolve("_sluice/listings/" + RUN_KEY + ".jsonl"));
    assertThat(lines).hasSize(result.files());
    return lines.stream().map(l -> l.replaceAll(".*\"name\":\"([^\"]*)\".*", "$1")).toList();
  }

  private DownloadFilesResult download(FilesSource source, int files) {
    String landing = lake.toUri().toString();
    return env.download(
        new DownloadFilesRequest(
            source,
            FileDownloadPaths.listing(landing, RUN_KEY),
            0,
            files,
            landing,
            FileDownloadPaths.incoming(landing, RUN_KEY),
            Map.of()));
  }

  @Test
  void givenAnSftpPrefix_whenListedWithAPattern_thenMatchingFilesInPathOrderAndHiddenOnesNever()
      throws Exception {
    assertThat(listedNames(source(null, sandbox("SFTP_PASSWORD"))))
        .containsExactly("a.csv", "sub/b.csv", "sub/c.json");
    assertThat(listedNames(source("**.csv", sandbox("SFTP_PASSWORD"))))
        .containsExactly("a.csv", "sub/b.csv");
  }

  @Test
  void givenAnSftpPrefix_whenDownloadedTwice_thenFilesLandOnceAndTheSecondRunSkipsThem()
      throws Exception {
    FilesSource all = source(null, sandbox("SFTP_PASSWORD"));
    listedNames(all);
    DownloadFilesResult first = download(all, 3);
    listedNames(all);
    DownloadFilesResult second = download(all, 3);

    assertThat(first.downloaded()).isEqualTo(3);
    assertThat(first.bytes()).isEqualTo(5 + 7 + 9);
    assertThat(first.failures()).isEmpty();
    assertThat(second.downloaded()).isZero();
    assertThat(second.skipped()).isEqualTo(3);
    assertThat(Files.readString(lake.resolve("sub/b.csv"))).isEqualTo("id\n2\n3\n");
    assertThat(Files.readString(lake.resolve("_sluice/landed/a.csv.json")))
        .contains("\"modified\":\"2026-11-20T10:00:00Z\"")
        .contains("\"size\":5");
  }

  @Test
  void givenAListedFileRemovedBeforeDownload_whenDownloaded_thenThatFileFailsAsMissing()
      throws Exception {
    FilesSource all = source(null, sandbox("SFTP_PASSWORD"));
    listedNames(all);
    Files.delete(home.resolve("drop/a.csv"));

    DownloadFilesResult result = download(all, 3);

    assertThat(result.downloaded()).isEqualTo(2);
    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.type()).isEqualTo(FailureType.FILE_NOT_FOUND.type()));
  }

  @Test
  void givenTheServersKeyInKnownHosts_whenListed_thenListed() throws Exception {
    SftpSpec checked = new SftpSpec("${env:SFTP_PASSWORD}", null, "${env:KNOWN_HOSTS}", false);

    assertThat(listedNames(source("*.csv", checked))).containsExactly("a.csv");
  }

  @Test
  void givenAPrivateKeyInsteadOfAPassword_whenListedAndDownloaded_thenTheFilesLand()
      throws Exception {
    SftpSpec byKey = new SftpSpec(null, "${env:USER_KEY}", "${env:KNOWN_HOSTS}", false);
    FilesSource csv = source("**.csv", byKey);

    assertThat(listedNames(csv)).containsExactly("a.csv", "sub/b.csv");
    assertThat(download(csv, 2).downloaded()).isEqualTo(2);
    assertThat(Files.readString(lake.resolve("a.csv"))).isEqualTo("id\n1\n");
  }

  @Test
  void givenAnotherKeyInKnownHosts_whenListed_thenNonRetryableAuthFailureNamingTheHost() {
    SftpSpec checked = new SftpSpec("${env:SFTP_PASSWORD}", null, "${env:OTHER_HOSTS}", false);

    assertThatThrownBy(() -> list(source(null, checked)))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType()).isEqualTo(FailureType.AUTH_FAILED.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage()).contains("127.0.0.1:" + server.getPort());
            });
  }

  @Test
  void givenAWrongPassword_whenListed_thenNonRetryableAuthFailureNamingHostAndUser() {
    assertThatThrownBy(() -> list(source(null, sandbox("WRONG_PASSWORD"))))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType()).isEqualTo(FailureType.AUTH_FAILED.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage())
                  .contains("127.0.0.1:" + server.getPort())
                  .contains("'" + USER + "'")
                  .doesNotContain("guess");
            });
  }

  @Test
  void givenAPrefixThatDoesNotExist_whenListed_thenSourceFileMissingNamesIt() {
    FilesSource missing =
        source(null, sandbox("SFTP_PASSWORD"))
            .withPrefix("sftp://" + USER + "@127.0.0.1:" + server.getPort() + "/nope");

    assertThatThrownBy(() -> list(missing))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType())
                  .as(cause.getOriginalMessage())
                  .isEqualTo(FailureType.FILE_NOT_FOUND.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage()).contains("/nope does not exist");
            });
  }

  /** Host keys for the test server: EC, as RSA generation would slow every test. */
  private static final class KeyUtilsForTest {
    static KeyPair ec() throws Exception {
      var generator = SecurityUtils.getKeyPairGenerator("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    }

    static String openSsh(KeyPair key) throws Exception {
      var out = new java.io.ByteArrayOutputStream();
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
          key, "test", (OpenSSHKeyEncryptionContext) null, out);
      return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
