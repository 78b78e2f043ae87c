# One image for the worker, the CLI, the sandbox and the codec server:
# `java -jar /opt/sluice/sluice.jar <command>` (see docker-compose.yml and docs/deployment.md).
#
# Base images are pinned to exact tags: a rebuild next month gets the same JDK.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# Only the CLI's jar and what it depends on; no tests (CI runs them), no benchmarks.
RUN mvn -B -q -DskipTests -pl starter -am package

FROM eclipse-temurin:17.0.13_11-jre
RUN useradd --system --uid 10001 --home-dir /opt/sluice sluice
COPY --from=build /src/starter/target/sluice.jar /opt/sluice/sluice.jar
COPY --from=build /src/examples /opt/sluice/examples
USER sluice
WORKDIR /opt/sluice
# Documentation only (compose publishes nothing by default except on 127.0.0.1):
# 9464 worker metrics, 8089 sandbox, 8888 codec server.
EXPOSE 9464 8089 8888
# The heap follows the container's memory limit (the JVM's default is a quarter of it).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/sluice/sluice.jar"]
CMD ["worker"]
