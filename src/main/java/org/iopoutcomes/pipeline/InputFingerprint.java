package org.iopoutcomes.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.iopoutcomes.input.TableSource;

/** Sizes and SHA-256 of the input files, for manifest.json: which bytes a run read. */
public final class InputFingerprint {
    private InputFingerprint() {}

    public static Map<String, Object> of(TableSource source, Configuration conf) {
        List<Map<String, Object>> files = new ArrayList<>();
        long bytes = 0;
        for (FileStatus file : source.dataFiles(conf)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", file.getPath().toString());
            entry.put("bytes", file.getLen());
            entry.put("sha256", sha256(file, conf));
            files.add(entry);
            bytes += file.getLen();
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("table", source.spec().name());
        table.put("path", source.path().toString());
        table.put("format", source.format().label());
        table.put("bytes", bytes);
        table.put("files", files);
        return table;
    }

    static String sha256(FileStatus file, Configuration conf) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            FileSystem fs = file.getPath().getFileSystem(conf);
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = fs.open(file.getPath())) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.getPath(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
