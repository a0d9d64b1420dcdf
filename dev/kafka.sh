#!/usr/bin/env bash
# A single-node Kafka 3.9.1 (KRaft: one process is broker and controller) on localhost, for trying the
# kafka source and the topic sink. No Kafka package is needed: the jars come from Maven Central through
# dev/kafka/pom.xml. Not for production (one replica, no security).
#
#   dev/kafka.sh                         start the broker in the foreground: localhost:9092; Ctrl-C stops it
#   dev/kafka.sh produce <topic>         send each line of stdin as one record
#   dev/kafka.sh consume <topic> [args]  print a topic's records from the beginning (ConsoleConsumer args,
#                                        e.g. --max-messages 3 --timeout-ms 10000); Ctrl-C stops it
#   dev/kafka.sh topic <topic> <partitions>   create a topic with that many partitions
#
# Data lives in data/kafka/ (KAFKA_DATA overrides); delete that folder to start from an empty broker.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$root/dev/kafka"
data="${KAFKA_DATA:-$root/data/kafka}"
bootstrap=localhost:9092

classpath() {
  # resolved once, again when the pom changes
  if [[ ! -s "$here/target/classpath" || "$here/pom.xml" -nt "$here/target/classpath" ]]; then
    # its output only on failure, so a consumer's stdout holds records and nothing else
    mkdir -p "$here/target"
    mvn -B -q -ntp -f "$here/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile=target/classpath -Dmdep.includeScope=runtime > "$here/target/resolve.log" 2>&1 \
      || { cat "$here/target/resolve.log" >&2; exit 1; }
  fi
  cat "$here/target/classpath"
}

run() {
  exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -Dlog4j.configuration="file:$here/log4j.properties" -cp "$(classpath)" "$@"
}

start() {
  mkdir -p "$data/logs"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:9093
listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
advertised.listeners=PLAINTEXT://localhost:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data/logs
num.partitions=1
# one broker: every internal topic has one replica
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# a consumer group starts at once instead of waiting 3 s for more members
group.initial.rebalance.delay.ms=0
PROPS
  # a KRaft log directory must be formatted once, with a cluster ID, before the first start
  if [[ ! -f "$data/logs/meta.properties" ]]; then
    java -Dlog4j.configuration="file:$here/log4j.properties" -cp "$(classpath)" kafka.tools.StorageTool \
      format --cluster-id "$(java -cp "$(classpath)" kafka.tools.StorageTool random-uuid 2>/dev/null)" \
      --config "$data/server.properties"
  fi
  echo "Kafka on $bootstrap (data in $data); Ctrl-C stops it" >&2
  run kafka.Kafka "$data/server.properties"
}

case "${1:-start}" in
  start) start ;;
  produce)
    [[ $# -eq 2 ]] || { echo "usage: dev/kafka.sh produce <topic>  (lines on stdin)" >&2; exit 64; }
    run kafka.tools.ConsoleProducer --bootstrap-server "$bootstrap" --topic "$2" ;;
  consume)
    [[ $# -ge 2 ]] || { echo "usage: dev/kafka.sh consume <topic> [ConsoleConsumer options]" >&2; exit 64; }
    topic="$2"; shift 2
    run org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$bootstrap" --topic "$topic" --from-beginning "$@" ;;
  topic)
    [[ $# -eq 3 ]] || { echo "usage: dev/kafka.sh topic <topic> <partitions>" >&2; exit 64; }
    run org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --if-not-exists \
      --topic "$2" --partitions "$3" --replication-factor 1 ;;
  *) sed -n '2,12p' "$0" >&2; exit 64 ;;
esac
