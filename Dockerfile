# syntax=docker/dockerfile:1
# The image of deploy/kubernetes: docker build -t zapi-group-routes:0.1.0 .
# Stage 1 builds the shaded jar with Maven; stage 2 is a JRE, a non-root user, the jar, the launcher and a
# class-data archive written in that stage by that JRE, for the jar at the path it runs from (an archive is
# valid only for the JDK that wrote it and that jar file: the one `mvn package` writes is not copied).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q -ntp dependency:go-offline
COPY src src
COPY routes routes
COPY config config
COPY samples samples
# the archive of the build stage's JDK is not wanted here: stage 2 makes its own
RUN mvn -B -q -ntp -DskipTests -Dexec.skip package

FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 zapi && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin zapi
WORKDIR /app
COPY --from=build /src/target/zapi-group-routes.jar /app/zapi-group-routes.jar
COPY bin/zapi-group-routes /app/bin/zapi-group-routes
# The archive, as pom.xml's class-data-archive execution makes it: one demo batch (the embedded simulator on
# loopback, nothing reached outside) with the inbox, both built sinks and the health endpoints, then the JVM
# dumps the classes it loaded. JDK 17 (this base) reads it as /app/zapi-group-routes.jsa, which the launcher
# picks when present; the run's folder is removed afterwards.
RUN mkdir /tmp/class-data-run && cd /tmp/class-data-run \
 && ZAPI_DEMO=true ZAPI_MODE=batch ZAPI_SOURCES=inbox ZAPI_SINKS=csv,jdbc ZAPI_OBSERVE_ENABLED=true ZAPI_OBSERVE_PORT=0 \
    ZAPI_DEMO_DIR=/tmp/class-data-run ZAPI_RETRY_INITIAL_DELAY_MS=50 ZAPI_RATE_SCOPE=instance ZAPI_INBOX_MIN_FILE_AGE_MS=0 \
    java -Xlog:cds*=error -XX:ArchiveClassesAtExit=/app/zapi-group-routes.jsa -jar /app/zapi-group-routes.jar \
 && cd /app && rm -rf /tmp/class-data-run \
 && java -Xshare:on -XX:SharedArchiveFile=/app/zapi-group-routes.jsa -cp /app/zapi-group-routes.jar -version \
 && chmod 0755 /app/bin/zapi-group-routes && chmod 0444 /app/zapi-group-routes.jar /app/zapi-group-routes.jsa \
 && mkdir -p /app/config /app/data && chown 10001:10001 /app/data
# the packaged config/ is the jar's; Kubernetes mounts its own at /app/config (deploy/kubernetes)
USER 10001:10001
# service mode by default; health and metrics on 8081, the HTTP API (ZAPI_SOURCES=http) on 8080
EXPOSE 8080 8081
ENTRYPOINT ["/app/bin/zapi-group-routes"]
