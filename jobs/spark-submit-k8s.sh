#!/usr/bin/env bash
# The nightly run on Kubernetes with the small jar (Spark supplied by the image):
#   mvn -Pprovided -DskipTests package, then build an image FROM apache/spark:4.2.0 (Scala 2.13, Java 17)
#   that copies target/iop-outcomes-0.1.0.jar and jobs/nightly.args to /opt/iop-outcomes/.
# Inputs and outputs on a shared store (s3a://, hdfs:// or a mounted volume); edit them in nightly.args.
set -euo pipefail
opens="--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
exec spark-submit \
  --master "k8s://https://${K8S_API:?set K8S_API to the Kubernetes API host:port}" \
  --deploy-mode cluster \
  --name iop-outcomes-nightly \
  --class org.iopoutcomes.cli.OutcomesCli \
  --conf spark.kubernetes.container.image="${OUTCOMES_IMAGE:?set OUTCOMES_IMAGE}" \
  --conf spark.kubernetes.namespace=iop-outcomes \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
  --conf spark.executor.instances=4 \
  --conf spark.executor.memory=8g \
  --conf spark.executor.cores=4 \
  --conf spark.driver.memory=4g \
  --conf spark.sql.shuffle.partitions=200 \
  --conf "spark.driver.extraJavaOptions=$opens" \
  --conf "spark.executor.extraJavaOptions=$opens" \
  local:///opt/iop-outcomes/iop-outcomes-0.1.0.jar \
  run @/opt/iop-outcomes/nightly.args
