"""Airflow DAG: the nightly outcomes run with SparkSubmitOperator (apache-airflow-providers-apache-spark).

The jar is the small one (mvn -Pprovided -DskipTests package); the Spark connection `spark_yarn` points at the
cluster (conn type Spark, host yarn). Exit codes (SPEC section 5): 0 success; 1 failure, including "another run
holds the lock"; 2 bad settings; 3 input rejected. Any non-zero exit fails the task; retries are worth it only
for 1 (a lock or a transient failure), so retries are few and spaced. After every run the job writes
<output>/published/_last_run.json (status succeeded / replaced / failed, error, run id; `published` true or
false and `published_run_date`) for dashboards. With the default `--publication-cadence monthly` only the first
run of each month publishes; the other nights write the restricted tree only, so a task that succeeded may leave
the published tree as it was.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

OPENS = " ".join(
    "--add-opens=java.base/" + p + "=ALL-UNNAMED"
    for p in ["java.nio", "java.lang.invoke", "java.util", "sun.util.calendar", "sun.nio.ch"]
)
HOME = "/opt/iop-outcomes"

with DAG(
    dag_id="iop_outcomes_nightly",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # the job's own lock (DIR/.outcomes.lock) also refuses a second run
    default_args={"retries": 1, "retry_delay": timedelta(minutes=30)},
    tags=["outcomes"],
) as dag:
    SparkSubmitOperator(
        task_id="outcomes_run",
        conn_id="spark_yarn",
        application=f"{HOME}/target/iop-outcomes-0.1.0.jar",
        java_class="org.iopoutcomes.cli.OutcomesCli",
        name="iop-outcomes-nightly",
        deploy_mode="cluster",
        files=f"{HOME}/jobs/nightly.args",
        application_args=["run", "@nightly.args"],
        driver_memory="4g",
        executor_memory="8g",
        executor_cores=4,
        num_executors=4,
        conf={
            "spark.driver.extraJavaOptions": OPENS,
            "spark.executor.extraJavaOptions": OPENS,
            "spark.sql.shuffle.partitions": "200",
        },
        execution_timeout=timedelta(hours=4),
    )
