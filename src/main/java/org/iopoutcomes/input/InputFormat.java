package org.iopoutcomes.input;

/** How an input table is stored. */
public enum InputFormat {
    CSV, PARQUET_FILE, PARQUET_DIRECTORY;

    public String label() {
        return switch (this) {
            case CSV -> "csv";
            case PARQUET_FILE -> "parquet";
            case PARQUET_DIRECTORY -> "parquet-directory";
        };
    }
}
