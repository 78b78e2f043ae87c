# One image for the worker, the CLI and the sandbox: `java -jar /opt/sluice/sluice.jar <command>`.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17.0.13_11-jre
RUN useradd --system --uid 10001 sluice
COPY --from=build /src/starter/target/sluice.jar /opt/sluice/sluice.jar
COPY --from=build /src/examples /opt/sluice/examples
USER sluice
WORKDIR /opt/sluice
ENTRYPOINT ["java", "-jar", "/opt/sluice/sluice.jar"]
CMD ["worker"]
