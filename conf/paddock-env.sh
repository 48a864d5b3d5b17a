# Sourced by bin/paddock when present: settings for every command, kept with the installation.
# A value set here wins over the environment unless written as below, which keeps the environment's.
#
# The JVM (else java on PATH):
#   export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
# Heap and JVM options of the node:
#   PADDOCK_JAVA_OPTS="${PADDOCK_JAVA_OPTS:--Xms1g -Xmx1g}"
# Where paddock.log goes (default: logs in the node's dataDir):
#   export PADDOCK_LOG_DIR="${PADDOCK_LOG_DIR:-/var/log/paddock}"
# How long stop waits after SIGTERM before SIGKILL, and start for the node to serve (seconds):
#   PADDOCK_STOP_TIMEOUT=30
#   PADDOCK_START_WAIT=10
