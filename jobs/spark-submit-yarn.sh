#!/usr/bin/env bash
# The nightly run on YARN with the small jar (Spark supplied by the cluster):
#   mvn -Pprovided -DskipTests package     ->  target/iop-outcomes-0.1.0.jar (a few MB)
# spark-submit sets spark.master; the job reuses its session. nightly.args travels with --files and is read by
# the driver from its working folder (cluster mode). Edit --input/--output in it to HDFS/S3 paths first.
set -euo pipefail
opens="--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
exec spark-submit \
  --master yarn \
  --deploy-mode cluster \
  --name iop-outcomes-nightly \
  --class org.iopoutcomes.cli.OutcomesCli \
  --driver-memory 4g \
  --executor-memory 8g \
  --executor-cores 4 \
  --num-executors 4 \
  --conf spark.sql.shuffle.partitions=200 \
  --conf "spark.driver.extraJavaOptions=$opens" \
  --conf "spark.executor.extraJavaOptions=$opens" \
  --files jobs/nightly.args \
  target/iop-outcomes-0.1.0.jar \
  run @nightly.args
