package org.iopoutcomes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, valid input folder written as CSV, to which a test adds or changes lines. Three participants
 * in two programs: a completed IOP episode, an early dropout, and an episode still in care.
 */
public final class InputFixture {
    public static final String EPISODES_HEADER = "episode_id,participant_id,program_id,level_of_care,admission_date,"
            + "discharge_date,discharge_reason,primary_substance,age_band,sex,prior_episodes,moud";
    public static final String SESSIONS_HEADER = "participant_id,episode_id,session_date,session_type,minutes,status";
    public static final String SCREENS_HEADER = "participant_id,collected_date,result,substance";
    public static final String USE_EVENTS_HEADER = "participant_id,event_date,event_type,substance,source";
    public static final String FOLLOWUPS_HEADER = "participant_id,episode_id,assessment_date,reached,abstinent_past_30_days";
    public static final String MUTUAL_HELP_HEADER = "participant_id,meeting_date,group_type";
    /** The optional deaths table; {@link #valid()} has none (absent, as in most inputs). */
    public static final String DEATHS_HEADER = "participant_id,death_date,cause";

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> lines = new LinkedHashMap<>();

    public static InputFixture valid() {
        InputFixture f = new InputFixture();
        f.table("episodes", EPISODES_HEADER,
                "e1,p1,prog-a,iop,2025-01-06,2025-04-04,completed,alcohol,25-34,female,0,",
                "e2,p2,prog-a,iop,2025-02-03,2025-02-20,dropped_out,opioids,35-44,male,1,true",
                "e3,p3,prog-b,iop,2025-03-03,,,stimulants,18-24,male,,");
        f.table("sessions", SESSIONS_HEADER,
                "p1,e1,2025-01-06,group,180,attended",
                "p1,e1,2025-01-08,individual,60,attended",
                "p1,e1,2025-01-10,medication,30,attended",
                "p1,e1,2025-01-13,group,180,no_show",
                "p1,e1,2025-04-02,group,,attended",
                "p1,e1,2025-04-20,group,90,attended",
                "p1,,2025-04-15,group,90,attended",
                "p2,e2,2025-02-03,group,180,attended",
                "p2,e2,2025-02-05,group,180,excused",
                "p2,e2,2025-02-10,group,180,cancelled",
                "p3,e3,2025-03-03,group,180,attended",
                "p3,e3,2025-06-30,family,120,attended");
        f.table("screens", SCREENS_HEADER,
                "p1,2025-01-06,negative,",
                "p2,2025-02-03,positive,opioids",
                "p3,2025-03-03,missing,");
        f.table("use_events", USE_EVENTS_HEADER, "p2,2025-03-01,use,opioids,self_report");
        f.table("followups", FOLLOWUPS_HEADER,
                "p1,e1,2025-05-04,true,true",
                "p2,e2,2025-03-22,false,");
        f.table("mutual_help", MUTUAL_HELP_HEADER, "p1,2025-04-10,aa");
        return f;
    }

    public InputFixture table(String name, String header, String... rows) {
        headers.put(name, header);
        lines.put(name, new ArrayList<>(List.of(rows)));
        return this;
    }

    public InputFixture add(String table, String... rows) {
        lines.get(table).addAll(List.of(rows));
        return this;
    }

    public InputFixture without(String table) {
        headers.remove(table);
        lines.remove(table);
        return this;
    }

    public InputFixture header(String table, String header) {
        headers.put(table, header);
        return this;
    }

    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> table : headers.entrySet()) {
                List<String> content = new ArrayList<>();
                content.add(table.getValue());
                content.addAll(lines.get(table.getKey()));
                Files.write(dir.resolve(table.getKey() + ".csv"), content, StandardCharsets.UTF_8);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
