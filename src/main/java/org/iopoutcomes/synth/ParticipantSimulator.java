package org.iopoutcomes.synth;

import static org.iopoutcomes.input.Schemas.AGE_BANDS;
import static org.iopoutcomes.input.Schemas.DISCHARGE_REASONS;
import static org.iopoutcomes.input.Schemas.LEVELS_OF_CARE;
import static org.iopoutcomes.input.Schemas.MUTUAL_HELP_GROUPS;
import static org.iopoutcomes.input.Schemas.SCREEN_RESULTS;
import static org.iopoutcomes.input.Schemas.SESSION_STATUSES;
import static org.iopoutcomes.input.Schemas.SESSION_TYPES;
import static org.iopoutcomes.input.Schemas.SEXES;
import static org.iopoutcomes.input.Schemas.SUBSTANCES;
import static org.iopoutcomes.input.Schemas.USE_EVENT_SOURCES;
import static org.iopoutcomes.input.Schemas.USE_EVENT_TYPES;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates one participant's whole history from its own random stream
 * ({@code new SplittableRandom(mix(seed, participantIndex))}): demographics, one IOP (or PHP/OP) episode with its
 * scheduled sessions and weekly screens, the post-discharge course (continuing care, follow-up calls, relapse,
 * overdose) and possibly a readmission after a recorded relapse. A pure function of (settings, scales, index), so
 * every Spark pass can re-simulate the participant and emit only its own table.
 *
 * <p>The planted post-discharge model (see docs/generator.md): for a discharged episode with realized attendance rate
 * a and continuing-care flag cc, the relapse time T (days after discharge) has hazard
 * h(t) = h0_program(t) * HR_cc^cc * exp(beta * a), with a Weibull baseline H0(t) = (t / scale_program)^shape.
 */
public final class ParticipantSimulator implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int IOP = code(LEVELS_OF_CARE, "iop");
    static final int OP = code(LEVELS_OF_CARE, "op");
    static final int PHP = code(LEVELS_OF_CARE, "php");

    static final int R_COMPLETED = code(DISCHARGE_REASONS, "completed");
    static final int R_DROPPED_OUT = code(DISCHARGE_REASONS, "dropped_out");
    static final int R_TERMINATED = code(DISCHARGE_REASONS, "terminated");
    static final int R_TRANSFERRED = code(DISCHARGE_REASONS, "transferred");
    static final int R_INCARCERATED = code(DISCHARGE_REASONS, "incarcerated");
    static final int R_OTHER = code(DISCHARGE_REASONS, "other");

    static final int SUB_ALCOHOL = code(SUBSTANCES, "alcohol");
    static final int SUB_OPIOIDS = code(SUBSTANCES, "opioids");
    static final int SUB_STIMULANTS = code(SUBSTANCES, "stimulants");
    static final int SUB_CANNABIS = code(SUBSTANCES, "cannabis");
    static final int SUB_SEDATIVES = code(SUBSTANCES, "sedatives");
    static final int SUB_OTHER = code(SUBSTANCES, "other");
    static final int SUB_UNKNOWN = code(SUBSTANCES, "unknown");

    static final int T_GROUP = code(SESSION_TYPES, "group");
    static final int T_INDIVIDUAL = code(SESSION_TYPES, "individual");
    static final int T_FAMILY = code(SESSION_TYPES, "family");
    static final int T_PSYCHOED = code(SESSION_TYPES, "psychoeducation");
    static final int T_RELAPSE_PREVENTION = code(SESSION_TYPES, "relapse_prevention");
    static final int T_MEDICATION = code(SESSION_TYPES, "medication");

    static final int ST_ATTENDED = code(SESSION_STATUSES, "attended");
    static final int ST_NO_SHOW = code(SESSION_STATUSES, "no_show");
    static final int ST_EXCUSED = code(SESSION_STATUSES, "excused");
    static final int ST_CANCELLED = code(SESSION_STATUSES, "cancelled");

    static final int X_NEGATIVE = code(SCREEN_RESULTS, "negative");
    static final int X_POSITIVE = code(SCREEN_RESULTS, "positive");
    static final int X_MISSING = code(SCREEN_RESULTS, "missing");
    static final int X_REFUSED = code(SCREEN_RESULTS, "refused");
    static final int X_INVALID = code(SCREEN_RESULTS, "invalid");

    static final int E_USE = code(USE_EVENT_TYPES, "use");
    static final int E_OVERDOSE = code(USE_EVENT_TYPES, "overdose");
    static final int E_FATAL = code(USE_EVENT_TYPES, "fatal_overdose");

    static final int SRC_SELF = code(USE_EVENT_SOURCES, "self_report");
    static final int SRC_CLINICIAN = code(USE_EVENT_SOURCES, "clinician");
    static final int SRC_COLLATERAL = code(USE_EVENT_SOURCES, "collateral");
    static final int SRC_FOLLOW_UP = code(USE_EVENT_SOURCES, "follow_up");

    static final int G_AA = code(MUTUAL_HELP_GROUPS, "aa");
    static final int G_NA = code(MUTUAL_HELP_GROUPS, "na");
    static final int G_SMART = code(MUTUAL_HELP_GROUPS, "smart");
    static final int G_FAITH = code(MUTUAL_HELP_GROUPS, "faith_based");
    static final int G_OTHER = code(MUTUAL_HELP_GROUPS, "other");

    /** Follow-up calls after discharge, days, and the chance of reaching the participant given the previous call was reached. */
    static final int[] FOLLOWUP_DAYS = {30, 90, 180, 365};
    static final double[] FOLLOWUP_REACH = {0.85, 0.88, 0.86, 0.85};
    /** A recovery's use episode lasts 1 to this many days (less when the next contact comes sooner). */
    static final int RECOVERY_MAX_DAYS = 14;
    /** A day that never comes (latent times beyond it are not told apart). */
    static final int NEVER = 1_000_000;
    /** Seed offset of the auxiliary stream of a participant (deaths, recoveries). */
    static final long AUX_STREAM = 0xDEA7_0F_5EEDL;
    /** Days after discharge in which a contact counts as continuing care (the pipeline's continuing_care_14d). */
    public static final int CC_WINDOW_DAYS = 14;
    /** First episodes end (are discharged) over about 2.5 years ending about 3 months before the data cut. */
    static final int ADMISSION_WINDOW_DAYS = 913;
    static final int ADMISSION_END_BEFORE_CUT = 91;

    private final GeneratorSettings s;
    private final double[] scales;
    private final int cut;
    private final int admitStart;
    private final int admitEnd;
    private final int idWidth;

    /** @param scales Weibull baseline scale (days) per program, from {@link Calibration}. */
    public ParticipantSimulator(GeneratorSettings settings, double[] scales) {
        this.s = settings;
        this.scales = scales.clone();
        this.cut = settings.dataCutDay();
        this.admitEnd = cut - ADMISSION_END_BEFORE_CUT;
        this.admitStart = admitEnd - ADMISSION_WINDOW_DAYS;
        this.idWidth = Math.max(6, Long.toString(settings.participants).length());
    }

    /** SplitMix64 finalizer of (seed, index): the seed of one participant's random stream. */
    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public String participantId(long index) {
        String digits = Long.toString(index + 1);
        StringBuilder sb = new StringBuilder(idWidth + 1).append('P');
        for (int i = digits.length(); i < idWidth; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    /** Simulates participant {@code index} into {@code h} (cleared first). */
    public void simulate(long index, History h) {
        simulate(mix(s.seed, index), index, -1, h);
    }

    /** Participant traits shared by its episodes. */
    private static final class Traits {
        int program;
        int sex;
        int ageBand;
        int substance;
        int prior;
        int moud;
        double attend;
        double lapse;
        boolean mutualHelpAffinity;
        int mutualHelpGroup;
        int daysPerWeek;
    }

    /** @param forcedProgram a program index, or -1 to draw it (calibration forces the program). */
    void simulate(long rngSeed, long index, int forcedProgram, History h) {
        SplittableRandom rng = new SplittableRandom(rngSeed);
        // deaths and recoveries draw from a stream of their own, so the main stream is the same with them or without
        SplittableRandom aux = new SplittableRandom(mix(rngSeed, AUX_STREAM));
        h.reset(index, participantId(index));
        Traits t = new Traits();
        int drawnProgram = pickProgram(rng);
        t.program = forcedProgram >= 0 ? forcedProgram : drawnProgram;
        double u = rng.nextDouble();
        t.sex = code(SEXES, u < 0.58 ? "male" : u < 0.98 ? "female" : u < 0.99 ? "other" : "unknown");
        t.ageBand = pickAge(rng.nextDouble());
        t.substance = pickSubstance(rng.nextDouble());
        if (rng.nextDouble() < 0.05) {
            t.prior = -1;
            rng.nextDouble();
        } else {
            int k = 0;
            while (k < 9 && rng.nextDouble() < 0.5) {
                k++;
            }
            t.prior = k;
        }
        u = rng.nextDouble();
        t.moud = t.substance == SUB_OPIOIDS ? (u < 0.55 ? 1 : u < 0.95 ? 0 : -1) : -1;
        double programShift = new double[] {0.0, 0.02, -0.03}[t.program % 3];
        double substanceShift = t.substance == SUB_OPIOIDS ? -0.03 : t.substance == SUB_STIMULANTS ? -0.04 : 0.0;
        t.attend = clamp(0.84 + 0.10 * gaussian(rng) + programShift + substanceShift, 0.30, 0.99);
        double lapseBase = t.substance == SUB_OPIOIDS ? 0.10 : t.substance == SUB_STIMULANTS ? 0.12
                : t.substance == SUB_CANNABIS ? 0.15 : t.substance == SUB_ALCOHOL ? 0.05 : 0.07;
        u = rng.nextDouble();
        t.lapse = lapseBase * (u < 0.5 ? 0.3 : u < 0.8 ? 1.0 : 2.5);
        t.mutualHelpAffinity = rng.nextDouble() < (t.substance == SUB_ALCOHOL ? 0.45 : 0.30);
        t.mutualHelpGroup = pickGroup(t.substance, rng.nextDouble());
        u = rng.nextDouble();
        t.daysPerWeek = u < 0.35 ? 3 : u < 0.70 ? 4 : 5;
        u = rng.nextDouble();
        int level = u < 0.92 ? IOP : u < 0.96 ? PHP : OP;
        int admission = admitStart + rng.nextInt(admitEnd - admitStart + 1);

        History.Episode first = newEpisode(h, 1, level, admission, t, t.prior);
        simulateCare(rng, h, first, t, t.attend, true);
        int readmission = -1;
        if (first.discharged()) {
            readmission = postDischarge(rng, aux, h, first, t, true);
        }
        if (readmission >= 0) {
            u = rng.nextDouble();
            int level2 = u < 0.85 ? IOP : OP;
            double attend2 = clamp(t.attend - 0.03 + 0.08 * gaussian(rng), 0.30, 0.99);
            History.Episode second = newEpisode(h, 2, level2, readmission, t, t.prior < 0 ? -1 : t.prior + 1);
            if (second.admission <= cut) {
                simulateCare(rng, h, second, t, attend2, false);
                if (second.discharged()) {
                    postDischarge(rng, aux, h, second, t, false);
                }
            } else {
                h.episodes.remove(h.episodes.size() - 1);
            }
        }
    }

    private History.Episode newEpisode(History h, int number, int level, int admission, Traits t, int prior) {
        History.Episode e = new History.Episode();
        e.number = number;
        e.program = t.program;
        e.level = level;
        e.primarySubstance = t.substance;
        e.ageBand = t.ageBand;
        e.sex = t.sex;
        e.priorEpisodes = prior;
        e.moud = t.moud;
        int pattern = dayPattern(level, t.daysPerWeek);
        while (!isProgramDay(pattern, admission)) {
            admission++;
        }
        e.admission = admission;
        h.episodes.add(e);
        return e;
    }

    /** Days of the week (bit 0 = Monday) on which the episode's program meets. */
    private static int dayPattern(int level, int daysPerWeek) {
        if (level == PHP) {
            return 0b11111;
        }
        if (level == OP) {
            return daysPerWeek == 3 ? 0b00001 : 0b01001; // Monday, or Monday and Thursday
        }
        return daysPerWeek == 3 ? 0b10101 : daysPerWeek == 4 ? 0b01111 : 0b11111;
    }

    private static boolean isProgramDay(int pattern, int epochDay) {
        return (pattern & (1 << Math.floorMod(epochDay + 3, 7))) != 0; // 1970-01-01 was a Thursday
    }

    /**
     * The episode in care: planned length, fate (completion, dropout, ...), scheduled sessions, weekly screens.
     *
     * @param anchorDischarge the drawn calendar day anchors the discharge rather than the admission: the admission
     *     moves back by whole weeks of the length of stay, so the discharge date (and with it the follow-up time left
     *     before the data cut, an administrative censoring) does not depend on the length of stay, which is
     *     correlated with attendance and so with the relapse hazard
     */
    private void simulateCare(SplittableRandom rng, History h, History.Episode e, Traits t, double attend,
            boolean anchorDischarge) {
        int pattern = dayPattern(e.level, t.daysPerWeek);
        double g = gaussian(rng);
        int planned = e.level == PHP ? (int) clamp(Math.round(28 + 5 * g), 18, 42)
                : e.level == OP ? (int) clamp(Math.round(84 + 14 * g), 56, 120)
                : (int) clamp(Math.round(90 + 9 * g), 70, 115);
        double pDrop = clamp(0.25 + 1.5 * (0.88 - attend), 0.05, 0.90);
        double u = rng.nextDouble();
        double expo = -Math.log(1 - rng.nextDouble());
        double v = rng.nextDouble();
        int dropDay = Integer.MAX_VALUE;
        int dischargeDay;
        int reason;
        if (u < pDrop) {
            dropDay = 3 + (int) (expo * (planned / 5.0));
            if (dropDay > planned - 10) {
                dropDay = 3 + (int) (v * Math.max(1, planned - 13));
            }
            boolean terminated = rng.nextDouble() < 0.2;
            int stretch = terminated ? rng.nextInt(4) : 7 + rng.nextInt(22);
            dischargeDay = dropDay + stretch;
            reason = terminated ? R_TERMINATED : R_DROPPED_OUT;
        } else if (u < pDrop + 0.065) {
            double w = (u - pDrop) / 0.065;
            reason = w < 0.46 ? R_TRANSFERRED : w < 0.69 ? R_INCARCERATED : R_OTHER;
            dischargeDay = 7 + (int) (v * (planned - 7));
        } else {
            reason = R_COMPLETED;
            dischargeDay = planned;
            while (dischargeDay > 0 && !isProgramDay(pattern, e.admission + dischargeDay)) {
                dischargeDay--;
            }
        }
        if (anchorDischarge) {
            e.admission -= 7 * (dischargeDay / 7); // whole weeks keep the weekday pattern
        }
        int discharge = e.admission + dischargeDay;
        if (discharge <= cut) {
            e.discharge = discharge;
            e.reason = reason;
        }
        int last = Math.min(discharge, cut);
        int ep = e.number;
        int k = 0;
        for (int day = e.admission; day <= last; day++) {
            int rel = day - e.admission;
            if (rel % 7 == 0) {
                k = 0;
            }
            if (!isProgramDay(pattern, day)) {
                continue;
            }
            int week = rel / 7;
            int status;
            if (rel == 0) {
                status = ST_ATTENDED; // intake day
            } else if (rel > dropDay) {
                status = ST_NO_SHOW; // dropped out: still scheduled, never came back
            } else {
                double r = rng.nextDouble();
                status = r < 0.015 ? ST_CANCELLED : r < 0.045 ? ST_EXCUSED
                        : rng.nextDouble() < attend ? ST_ATTENDED : ST_NO_SHOW;
            }
            // the sessions of the day
            if (e.level == OP) {
                boolean group = t.daysPerWeek == 3 ? week % 2 == 0 : k == 0;
                session(rng, h, day, group ? T_GROUP : T_INDIVIDUAL, group ? 90 : 60, status, ep, e);
            } else {
                session(rng, h, day, T_GROUP, groupMinutes(rng.nextDouble()), status, ep, e);
                if (e.level == PHP) {
                    session(rng, h, day, T_GROUP, 120, status, ep, e);
                }
                if (k == 0) {
                    session(rng, h, day, T_INDIVIDUAL, 60, status, ep, e);
                    if (e.moud == 1 && (e.level == PHP || week % 2 == 0)) {
                        session(rng, h, day, T_MEDICATION, 30, status, ep, e);
                    }
                } else if (k == 1) {
                    session(rng, h, day, week % 2 == 0 ? T_PSYCHOED : T_RELAPSE_PREVENTION,
                            rng.nextDouble() < 0.6 ? 90 : 60, status, ep, e);
                } else if (k == 2 && week % 4 == 3) {
                    session(rng, h, day, T_FAMILY, rng.nextDouble() < 0.5 ? 90 : 60, status, ep, e);
                }
            }
            // the weekly screen, at the first program day of each week in care
            if (k == 0) {
                if (status == ST_ATTENDED) {
                    double r = rng.nextDouble();
                    if (r < 0.01) {
                        h.addScreen(day, X_INVALID, -1);
                    } else if (r < 0.02) {
                        h.addScreen(day, X_REFUSED, -1);
                    } else if (day < discharge && rng.nextDouble() < t.lapse) {
                        h.addScreen(day, X_POSITIVE, lapseSubstance(rng, t.substance)); // in-treatment lapse
                    } else {
                        h.addScreen(day, X_NEGATIVE, -1);
                    }
                } else if (status == ST_NO_SHOW) {
                    h.addScreen(day, X_MISSING, -1);
                }
            }
            k++;
        }
        // mutual-help meetings while in care
        if (t.mutualHelpAffinity) {
            for (int week = 1; e.admission + 7 * week <= last; week++) {
                int day = e.admission + 7 * week + rng.nextInt(7);
                if (rng.nextDouble() < 0.5 && day <= last) {
                    h.addMeeting(day, t.mutualHelpGroup);
                }
            }
        }
    }

    private static void session(SplittableRandom rng, History h, int day, int type, int minutes, int dayStatus, int ep,
            History.Episode e) {
        int status = dayStatus;
        if (status == ST_ATTENDED && type != T_GROUP && rng.nextDouble() < 0.03) {
            status = ST_NO_SHOW;
        }
        if (minutes == 60 && rng.nextDouble() < 0.2) {
            minutes = -1; // empty = 60
        }
        h.addSession(day, type, minutes, status, ep);
        if (status == ST_ATTENDED) {
            e.attended++;
        } else if (status == ST_NO_SHOW) {
            e.noShow++;
        }
    }

    /**
     * After a discharge: the planted continuing-care exposure, the follow-up calls, the relapse time and what of it
     * is observed, step-down care, meetings, overdoses; with the options of issue 14 also a death after discharge and
     * recoveries. Returns the day of a readmission, or -1.
     *
     * <p>Every draw of the main stream {@code rng} happens in the same order whatever the death and recovery options
     * are (at their defaults the output is byte for byte what it was before them); the death and the recovery are
     * drawn from the participant's own auxiliary stream {@code aux}, a fixed number of draws per discharge.
     */
    private int postDischarge(SplittableRandom rng, SplittableRandom aux, History h, History.Episode e, Traits t,
            boolean mayReadmit) {
        final int dis = e.discharge;
        e.attendanceRate = e.attended / (double) (e.attended + e.noShow);

        // 0. the planted death and the recovery draws (auxiliary stream, always five draws)
        double deathExpo = -Math.log(1 - aux.nextDouble());
        boolean overdoseDeath = aux.nextDouble() < s.deathOverdoseShare;
        boolean recoveryDrawn = aux.nextDouble() < s.recoveryShare;
        int recoveryLength = 1 + aux.nextInt(RECOVERY_MAX_DAYS);
        double secondExpo = -Math.log(1 - aux.nextDouble());
        double deathTime = s.deathHazardPerYear > 0 ? 365.0 * deathExpo / s.deathHazardPerYear : Double.POSITIVE_INFINITY;
        final int deathDay = deathTime >= NEVER ? NEVER : Math.max(1, (int) Math.ceil(deathTime));
        final int deathDate = deathDay == NEVER ? Integer.MAX_VALUE : dis + deathDay;
        // the last day with rows for this course: the data cut, or the day before the death
        final int end = deathDay == NEVER ? cut : Math.min(cut, deathDate - 1);
        final int room = end - dis; // days after discharge inside the data

        // 1. continuing care on days 1-14, more likely for better attenders (the confounding)
        double pcc = 1 / (1 + Math.exp(-(0.2 + 5.0 * (e.attendanceRate - 0.8))));
        if (e.reason == R_INCARCERATED) {
            pcc *= 0.1;
        }
        boolean ccDrawn = rng.nextDouble() < pcc;

        // 2. follow-up calls: monotone loss, independent of everything else (non-informative censoring)
        boolean[] reached = new boolean[FOLLOWUP_DAYS.length];
        boolean still = true;
        int lastReached = 0;
        for (int i = 0; i < FOLLOWUP_DAYS.length; i++) {
            still = still && rng.nextDouble() < FOLLOWUP_REACH[i];
            reached[i] = still;
            if (still && FOLLOWUP_DAYS[i] <= room) {
                lastReached = FOLLOWUP_DAYS[i];
            }
        }

        // 3. the realized exposure and its channel
        int ccMax = Math.min(CC_WINDOW_DAYS, room);
        boolean cc = ccDrawn && ccMax >= 1;
        boolean viaStepDown = rng.nextDouble() < 0.7 && lastReached >= 30;
        int ccDay = 1 + rng.nextInt(Math.max(1, ccMax));
        e.continuingCare = cc;

        // 4. the relapse time under proportional hazards with a Weibull baseline
        double risk = (cc ? s.continuingCareHr : 1.0) * Math.exp(s.attendanceLogHr * e.attendanceRate);
        double scale = scales[e.program];
        double expo = -Math.log(1 - rng.nextDouble());
        double time = scale * Math.pow(expo / risk, 1 / s.baselineShape);
        int d = time >= NEVER ? NEVER : Math.max(1, (int) Math.ceil(time));
        e.relapse365 = -Math.expm1(-Math.pow(365.0 / scale, s.baselineShape) * risk);
        e.relapseDay = d;
        boolean relapseFirst = time < deathTime; // else the death comes first (continuous times: no ties)

        int sessionMark = h.nSessions;
        int screenMark = h.nScreens;
        int eventMark = h.nEvents;
        int followupMark = h.nFollowups;
        int meetingMark = h.nMeetings;

        // follow-up rows (only calls due by the data cut and before a death); the answers follow below, once the
        // course of use is known
        for (int i = 0; i < FOLLOWUP_DAYS.length && FOLLOWUP_DAYS[i] <= room; i++) {
            h.addFollowup(e.number, dis + FOLLOWUP_DAYS[i], reached[i], -1);
        }

        // step-down outpatient care (sessions outside any episode): attended only while the participant is in
        // contact (on or before the last reached follow-up), so the last known-status contact is that call. Each
        // screen's draw is kept and its result set below, once the course of use is known.
        int[] screenIndex = new int[16];
        double[] screenDraw = new double[16];
        int nStepDownScreens = 0;
        int[] attendedDays = new int[64];
        int nAttended = 0;
        boolean stepDown;
        int start;
        if (cc && viaStepDown) {
            stepDown = true;
            start = ccDay;
        } else {
            stepDown = rng.nextDouble() < (lastReached >= 30 ? (cc ? 0.5 : 0.3) : 0.15);
            start = 15 + rng.nextInt(46); // after the 14-day window
        }
        if (stepDown) {
            int perWeek = rng.nextDouble() < 0.5 ? 1 : 2;
            int weeks = 8 + rng.nextInt(13);
            outer:
            for (int w = 0; w < weeks; w++) {
                for (int j = 0; j < perWeek; j++) {
                    int day = start + 7 * w + 3 * j;
                    if (day > lastReached + 21 || dis + day > end) {
                        break outer;
                    }
                    int status;
                    if (day == start && cc && viaStepDown) {
                        status = ST_ATTENDED;
                    } else if (day <= lastReached) {
                        double r = rng.nextDouble();
                        status = r < 0.8 ? ST_ATTENDED : r < 0.95 ? ST_NO_SHOW : ST_EXCUSED;
                    } else {
                        status = ST_NO_SHOW;
                    }
                    boolean group = rng.nextDouble() < 0.55;
                    int minutes = group ? 90 : (rng.nextDouble() < 0.15 ? -1 : 60);
                    h.addSession(dis + day, group ? T_GROUP : T_INDIVIDUAL, minutes, status, -1);
                    if (status == ST_ATTENDED) {
                        if (nAttended == attendedDays.length) {
                            attendedDays = Arrays.copyOf(attendedDays, 2 * nAttended);
                        }
                        attendedDays[nAttended++] = day;
                    }
                    if (j == 0) {
                        if (status == ST_ATTENDED) {
                            if (nStepDownScreens == screenIndex.length) {
                                screenIndex = Arrays.copyOf(screenIndex, 2 * nStepDownScreens);
                                screenDraw = Arrays.copyOf(screenDraw, 2 * nStepDownScreens);
                            }
                            screenIndex[nStepDownScreens] = h.nScreens;
                            screenDraw[nStepDownScreens++] = rng.nextDouble();
                            h.addScreen(dis + day, X_NEGATIVE, -1);
                        } else if (status == ST_NO_SHOW) {
                            h.addScreen(dis + day, X_MISSING, -1);
                        }
                    }
                }
            }
        }

        // 5. a recovery: the first use ends before the next contact that could see it (a reached call covers the 30
        // days up to it, an attended session its day), and continuous use starts later, after a fresh relapse time
        int recoveryEnd = -1;
        int sustained = d;
        if (recoveryDrawn && relapseFirst && d < NEVER) {
            int next = NEVER;
            boolean seen = false;
            for (int i = 0; i < FOLLOWUP_DAYS.length && FOLLOWUP_DAYS[i] <= room; i++) {
                int from = FOLLOWUP_DAYS[i] - 29;
                if (!reached[i]) {
                    continue;
                }
                if (from <= d && d <= FOLLOWUP_DAYS[i]) {
                    seen = true;
                } else if (from > d) {
                    next = Math.min(next, from);
                }
            }
            for (int i = 0; i < nAttended; i++) {
                if (attendedDays[i] == d) {
                    seen = true;
                } else if (attendedDays[i] > d) {
                    next = Math.min(next, attendedDays[i]);
                }
            }
            if (!seen) {
                recoveryEnd = Math.min(d + recoveryLength - 1, next - 1);
                double second = scale * Math.pow(secondExpo / risk, 1 / s.baselineShape);
                sustained = second >= NEVER - recoveryEnd ? NEVER : recoveryEnd + Math.max(1, (int) Math.ceil(second));
            }
        }
        boolean recorded = sustained <= lastReached; // observed iff at or before the last known-status contact
        e.relapseRecorded = recorded;

        // the answers of the reached calls and the step-down screens, from the true course of use
        for (int i = followupMark; i < h.nFollowups; i++) {
            if (h.fReached[i] == 1) {
                int day = h.fDate[i] - dis;
                h.fAbstinent[i] = usedIn(day - 29, day, d, recoveryEnd, sustained) ? 0 : 1;
            }
        }
        for (int i = 0; i < nStepDownScreens; i++) {
            int day = h.xDate[screenIndex[i]] - dis;
            if (usedIn(day, day, d, recoveryEnd, sustained) && screenDraw[i] < 0.75) {
                h.xResult[screenIndex[i]] = X_POSITIVE;
                h.xSubstance[screenIndex[i]] = t.substance;
            }
        }

        // mutual-help meetings after discharge
        int meetingStart = -1;
        if (cc && !viaStepDown) {
            meetingStart = ccDay; // the continuing-care contact is a meeting
        } else if (t.mutualHelpAffinity) {
            double r = rng.nextDouble();
            if (cc) {
                meetingStart = 1 + rng.nextInt(ccMax);
            } else if (r < 0.5) {
                meetingStart = CC_WINDOW_DAYS + 1 + rng.nextInt(60);
            }
        }
        if (meetingStart > 0) {
            int count = 4 + rng.nextInt(40);
            int day = meetingStart;
            for (int i = 0; i < count && dis + day <= end; i++) {
                h.addMeeting(dis + day, t.mutualHelpGroup);
                day += 3 + rng.nextInt(9);
            }
        }

        // the recorded relapse and what follows it
        int death = -1;
        if (recorded) {
            h.addEvent(dis + sustained, E_USE, t.substance, rng.nextDouble() < 0.6 ? SRC_FOLLOW_UP : SRC_SELF);
            if (rng.nextDouble() < 0.35 && lastReached > sustained) {
                h.addEvent(dis + sustained + 1 + rng.nextInt(lastReached - sustained), E_USE, t.substance,
                        rng.nextDouble() < 0.5 ? SRC_SELF : SRC_CLINICIAN);
            }
            double pOverdose = t.substance == SUB_OPIOIDS ? (t.moud == 1 ? 0.07 : 0.16)
                    : t.substance == SUB_STIMULANTS ? 0.04 : t.substance == SUB_SEDATIVES ? 0.04 : 0.01;
            if (rng.nextDouble() < pOverdose) {
                int date = dis + sustained + rng.nextInt(31);
                boolean fatal = rng.nextDouble() < 0.08;
                if (date <= end) {
                    h.addEvent(date, fatal ? E_FATAL : E_OVERDOSE, t.substance,
                            fatal ? SRC_COLLATERAL : (rng.nextDouble() < 0.6 ? SRC_CLINICIAN : SRC_COLLATERAL));
                    if (fatal) {
                        death = date;
                    }
                }
            }
        }
        int readmission = -1;
        int limit = Integer.MAX_VALUE;
        if (death >= 0) {
            limit = death + 1; // nothing after death
        } else if (mayReadmit && recorded && rng.nextDouble() < 0.35) {
            int day = dis + sustained + 14 + rng.nextInt(77);
            if (day < cut && day < deathDate) {
                readmission = day;
                limit = day; // the first episode's after-care stops at the readmission
            }
        }
        if (limit != Integer.MAX_VALUE) {
            h.truncateFrom(sessionMark, screenMark, eventMark, followupMark, meetingMark, limit);
        }
        int lastContact = 0;
        Arrays.fill(e.callReached, -1);
        for (int i = followupMark; i < h.nFollowups; i++) {
            if (h.fReached[i] == 1) {
                lastContact = Math.max(lastContact, h.fDate[i] - dis);
            }
            int call = Arrays.binarySearch(FOLLOWUP_DAYS, h.fDate[i] - dis);
            e.callReached[call] = h.fReached[i];
        }
        e.lastContactDay = lastContact;

        // the death that ends this course: a fatal overdose after the recorded relapse, else the planted death
        // unless a readmission came first (the hazard starts again after the next discharge)
        int diedDay = -1;
        if (death >= 0) {
            diedDay = death - dis;
            e.deathOverdose = true;
        } else if (deathDay < NEVER && readmission < 0) {
            diedDay = deathDay;
            e.deathOverdose = overdoseDeath;
        }
        e.deathDay = diedDay;
        if (diedDay >= 0 && dis + diedDay <= cut) {
            h.deathDate = dis + diedDay;
            h.deathOverdose = e.deathOverdose;
            e.deathRecorded = s.plantsDeaths(); // the deaths table is written only when deaths are planted
        }

        // the truth of this course
        e.recoveryEndDay = recoveryEnd;
        e.sustainedRelapseDay = sustained;
        e.recordedRelapseDay = recorded ? sustained : -1;
        if (relapseFirst) {
            e.firstEventDeath = false;
            e.firstEventDay = d;
            e.firstEventFatal = false;
            e.firstEventSeen = recorded && recoveryEnd < 0; // a use event on the first relapse's own day
        } else {
            e.firstEventDeath = !overdoseDeath; // a fatal overdose is a relapse, any other death competes with it
            e.firstEventDay = deathDay;
            e.firstEventFatal = true;
            e.firstEventSeen = e.deathRecorded;
        }
        for (int i = 0; i < FOLLOWUP_DAYS.length; i++) {
            int horizon = FOLLOWUP_DAYS[i];
            boolean dead = diedDay >= 0 && diedDay <= horizon;
            boolean readmitted = readmission >= 0 && readmission - dis <= horizon;
            e.usePast30[i] = dead || readmitted ? -1
                    : usedIn(horizon - 29, horizon, relapseFirst ? d : NEVER, recoveryEnd, relapseFirst ? sustained : NEVER)
                            ? 1 : 0;
        }
        e.relapseBeforeDeath365 = s.plantsDeaths()
                ? relapseBeforeDeath(365, risk * Math.pow(365.0 / scale, s.baselineShape), s.baselineShape,
                        s.deathHazardPerYear / 365.0, s.deathOverdoseShare)
                : e.relapse365;
        return readmission;
    }

    /**
     * Whether the participant used on some day of [from, to] (days after discharge): use runs from the first relapse
     * {@code d} to {@code recoveryEnd} (a recovery), or from {@code d} on (-1: no recovery), and from
     * {@code sustained} on.
     */
    static boolean usedIn(int from, int to, int d, int recoveryEnd, int sustained) {
        if (recoveryEnd < 0) {
            return d <= to;
        }
        return (d <= to && recoveryEnd >= from) || sustained <= to;
    }

    /**
     * An individual's P(relapse by day {@code horizon}, before death): the cumulative incidence
     * int_0^H (h(t) + lambda s) exp(-H(t) - lambda t) dt of the first event being a relapse, where a fatal overdose
     * (hazard lambda s) is a relapse and any other death competes; H(t) = c (t / H)^k is the individual's cumulative
     * relapse hazard with c = H(horizon). Simpson's rule after t = H w^m (m k >= 3, so the integrand is smooth).
     */
    static double relapseBeforeDeath(int horizon, double c, double k, double lambdaPerDay, double overdoseShare) {
        int m = Math.max(4, (int) Math.ceil(3 / k));
        int n = 400;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double w = i / (double) n;
            double wm = Math.pow(w, m);
            double cumulative = c * Math.pow(wm, k);
            // dH = c k m w^(mk-1) dw; dt = H m w^(m-1) dw
            double dH = w == 0 ? 0 : c * k * m * Math.pow(w, m * k - 1);
            double dt = horizon * m * Math.pow(w, m - 1);
            double f = (dH + lambdaPerDay * overdoseShare * dt) * Math.exp(-cumulative - lambdaPerDay * horizon * wm);
            sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return sum / (3.0 * n);
    }

    private int pickProgram(SplittableRandom rng) {
        double total = 0;
        for (int k = 0; k < s.programs; k++) {
            total += programWeight(k);
        }
        double u = rng.nextDouble() * total;
        for (int k = 0; k < s.programs; k++) {
            u -= programWeight(k);
            if (u < 0) {
                return k;
            }
        }
        return s.programs - 1;
    }

    private static double programWeight(int k) {
        return Math.max(0.3, 1.0 - 0.15 * k);
    }

    private static int pickAge(double u) {
        String band = u < 0.01 ? "12-17" : u < 0.15 ? "18-24" : u < 0.45 ? "25-34" : u < 0.70 ? "35-44"
                : u < 0.86 ? "45-54" : u < 0.96 ? "55-64" : u < 0.99 ? "65+" : "unknown";
        return code(AGE_BANDS, band);
    }

    private static int pickSubstance(double u) {
        return u < 0.40 ? SUB_ALCOHOL : u < 0.67 ? SUB_OPIOIDS : u < 0.84 ? SUB_STIMULANTS : u < 0.95 ? SUB_CANNABIS
                : u < 0.98 ? SUB_SEDATIVES : u < 0.995 ? SUB_OTHER : SUB_UNKNOWN;
    }

    private static int pickGroup(int substance, double u) {
        if (substance == SUB_ALCOHOL) {
            return u < 0.65 ? G_AA : u < 0.80 ? G_SMART : u < 0.92 ? G_FAITH : u < 0.97 ? G_NA : G_OTHER;
        }
        return u < 0.60 ? G_NA : u < 0.80 ? G_SMART : u < 0.90 ? G_FAITH : u < 0.97 ? G_AA : G_OTHER;
    }

    private static int lapseSubstance(SplittableRandom rng, int primary) {
        if (primary != SUB_UNKNOWN && primary != SUB_OTHER && rng.nextDouble() < 0.85) {
            return primary;
        }
        int[] others = {SUB_OPIOIDS, SUB_STIMULANTS, SUB_CANNABIS, SUB_SEDATIVES};
        return others[rng.nextInt(others.length)];
    }

    private static int groupMinutes(double u) {
        return u < 0.55 ? 180 : u < 0.65 ? 150 : u < 0.85 ? 120 : 90;
    }

    static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    static int code(List<String> codes, String value) {
        int i = codes.indexOf(value);
        if (i < 0) {
            throw new IllegalStateException("code '" + value + "' is not in the contract list " + codes);
        }
        return i;
    }
}
