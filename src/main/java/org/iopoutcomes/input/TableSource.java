package org.iopoutcomes.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where one input table is: {@code <input>/<table>.csv}, {@code <input>/<table>.parquet} or a Parquet
 * directory {@code <input>/<table>/} (SPEC section 2). Paths go through Hadoop's FileSystem so that
 * HDFS and object stores work as well as local folders.
 */
public record TableSource(TableSpec spec, Path path, InputFormat format) {

    /** Finds the table under {@code inputDir}; empty when it is absent, rejected when it is there twice. */
    public static Optional<TableSource> locate(TableSpec spec, String inputDir, Configuration conf) {
        Path dir = new Path(inputDir);
        List<TableSource> found = new ArrayList<>();
        try {
            FileSystem fs = dir.getFileSystem(conf);
            Path csv = new Path(dir, spec.name() + ".csv");
            Path parquet = new Path(dir, spec.name() + ".parquet");
            Path parquetDir = new Path(dir, spec.name());
            if (fs.isFile(csv)) {
                found.add(new TableSource(spec, csv, InputFormat.CSV));
            }
            if (fs.exists(parquet)) {
                found.add(new TableSource(spec, parquet,
                        fs.isDirectory(parquet) ? InputFormat.PARQUET_DIRECTORY : InputFormat.PARQUET_FILE));
            }
            if (fs.isDirectory(parquetDir)) {
                found.add(new TableSource(spec, parquetDir, InputFormat.PARQUET_DIRECTORY));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input folder " + inputDir, e);
        }
        if (found.size() > 1) {
            throw new InputRejectedException(found.get(0).path() + ": table '" + spec.name()
                    + "' is given more than once (" + found.stream().map(s -> s.path().getName()).toList()
                    + "); expected exactly one of " + spec.name() + ".csv, " + spec.name() + ".parquet or "
                    + spec.name() + "/");
        }
        return found.stream().findFirst();
    }

    /** The files that hold the table's data (one for a file, the data files of a directory), sorted by path. */
    public List<FileStatus> dataFiles(Configuration conf) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            List<FileStatus> files = new ArrayList<>();
            collect(fs, fs.getFileStatus(path), files);
            files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    private static void collect(FileSystem fs, FileStatus status, List<FileStatus> out) throws IOException {
        if (status.isFile()) {
            String name = status.getPath().getName();
            // Hidden and bookkeeping files (_SUCCESS, .crc) are not data; Spark skips them too.
            if (!name.startsWith("_") && !name.startsWith(".")) {
                out.add(status);
            }
            return;
        }
        for (FileStatus child : fs.listStatus(status.getPath())) {
            String name = child.getPath().getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
                collect(fs, child, out);
            }
        }
    }
}
