package org.iopoutcomes.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One participant's simulated history, held in primitive columns (codes are indexes into the lists of
 * {@link org.iopoutcomes.input.Schemas}, dates are epoch days, -1 = empty). Reused across participants of a
 * partition to keep the garbage low.
 */
public final class History {
    /** One treatment episode and what the generator planted for it. */
    public static final class Episode {
        public int number;            // 1, 2
        public int program;
        public int level;             // index in LEVELS_OF_CARE
        public int admission;         // epoch day
        public int discharge = -1;    // epoch day, -1 = still in care at the data cut
        public int reason = -1;       // index in DISCHARGE_REASONS
        public int primarySubstance;
        public int ageBand;
        public int sex;
        public int priorEpisodes = -1;
        public int moud = -1;         // -1 empty, 0 false, 1 true
        // planted post-discharge model (discharged episodes only)
        public int attended;
        public int noShow;
        public double attendanceRate = Double.NaN;
        public boolean continuingCare;
        public double relapse365 = Double.NaN; // individual 1 - S_i(365)
        public int relapseDay = -1;            // latent T in whole days after discharge (ceil)
        public boolean relapseRecorded;
        public int lastContactDay = -1;        // last known-status contact after discharge, days (0 = none)
        // the true course after discharge (post_discharge_truth); days after discharge, -1 = none
        public boolean firstEventDeath;        // the first event is a death from another cause (else a relapse)
        public int firstEventDay = -1;         // the day of the first event (latent: may lie after the data cut)
        public boolean firstEventFatal;        // the first event is a death: a fatal overdose (a relapse) or other
        public boolean firstEventSeen;         // the tables show the first event on its day (a contact, or deaths)
        public int recoveryEndDay = -1;        // last day of a first use episode over before the next contact
        public int sustainedRelapseDay = -1;   // the day from which use is continuous (latent)
        public int recordedRelapseDay = -1;    // the day of the relapse the tables record (a use event), -1 = none
        public int deathDay = -1;              // the death that ends this episode's course (latent), -1 = none
        public boolean deathOverdose;          // its cause is an overdose
        public boolean deathRecorded;          // it is a row of the deaths table
        public double relapseBeforeDeath365 = Double.NaN; // individual P(relapse by day 365, before death)
        /** True past-30-day use at each follow-up horizon (days H-29..H); -1 = dead or readmitted by then. */
        public final int[] usePast30 = new int[ParticipantSimulator.FOLLOWUP_DAYS.length];
        /**
         * The follow-up call on each follow-up day as the followups table has it: 1 reached (with an answer), 0 not
         * reached, -1 no call (due after the data cut, or after a death or a readmission).
         */
        public final int[] callReached = new int[ParticipantSimulator.FOLLOWUP_DAYS.length];

        public boolean discharged() {
            return discharge >= 0;
        }
    }

    public long index;
    public String participantId;
    /** The participant's death (a row of the deaths table when on or before the data cut): epoch day, -1 = none. */
    public int deathDate = -1;
    public boolean deathOverdose;
    public final List<Episode> episodes = new ArrayList<>(2);

    // sessions
    public int nSessions;
    public int[] sDate = new int[128];
    public int[] sType = new int[128];
    public int[] sMinutes = new int[128];
    public int[] sStatus = new int[128];
    public int[] sEpisode = new int[128];
    // screens
    public int nScreens;
    public int[] xDate = new int[32];
    public int[] xResult = new int[32];
    public int[] xSubstance = new int[32];
    // use events
    public int nEvents;
    public int[] uDate = new int[8];
    public int[] uType = new int[8];
    public int[] uSubstance = new int[8];
    public int[] uSource = new int[8];
    // follow-ups
    public int nFollowups;
    public int[] fEpisode = new int[8];
    public int[] fDate = new int[8];
    public int[] fReached = new int[8];
    public int[] fAbstinent = new int[8];
    // mutual-help meetings
    public int nMeetings;
    public int[] mDate = new int[32];
    public int[] mGroup = new int[32];

    void reset(long index, String participantId) {
        this.index = index;
        this.participantId = participantId;
        episodes.clear();
        deathDate = -1;
        deathOverdose = false;
        nSessions = 0;
        nScreens = 0;
        nEvents = 0;
        nFollowups = 0;
        nMeetings = 0;
    }

    void addSession(int date, int type, int minutes, int status, int episode) {
        if (nSessions == sDate.length) {
            int n = nSessions * 2;
            sDate = Arrays.copyOf(sDate, n);
            sType = Arrays.copyOf(sType, n);
            sMinutes = Arrays.copyOf(sMinutes, n);
            sStatus = Arrays.copyOf(sStatus, n);
            sEpisode = Arrays.copyOf(sEpisode, n);
        }
        sDate[nSessions] = date;
        sType[nSessions] = type;
        sMinutes[nSessions] = minutes;
        sStatus[nSessions] = status;
        sEpisode[nSessions] = episode;
        nSessions++;
    }

    void addScreen(int date, int result, int substance) {
        if (nScreens == xDate.length) {
            int n = nScreens * 2;
            xDate = Arrays.copyOf(xDate, n);
            xResult = Arrays.copyOf(xResult, n);
            xSubstance = Arrays.copyOf(xSubstance, n);
        }
        xDate[nScreens] = date;
        xResult[nScreens] = result;
        xSubstance[nScreens] = substance;
        nScreens++;
    }

    void addEvent(int date, int type, int substance, int source) {
        if (nEvents == uDate.length) {
            int n = nEvents * 2;
            uDate = Arrays.copyOf(uDate, n);
            uType = Arrays.copyOf(uType, n);
            uSubstance = Arrays.copyOf(uSubstance, n);
            uSource = Arrays.copyOf(uSource, n);
        }
        uDate[nEvents] = date;
        uType[nEvents] = type;
        uSubstance[nEvents] = substance;
        uSource[nEvents] = source;
        nEvents++;
    }

    void addFollowup(int episode, int date, boolean reached, int abstinent) {
        if (nFollowups == fDate.length) {
            int n = nFollowups * 2;
            fEpisode = Arrays.copyOf(fEpisode, n);
            fDate = Arrays.copyOf(fDate, n);
            fReached = Arrays.copyOf(fReached, n);
            fAbstinent = Arrays.copyOf(fAbstinent, n);
        }
        fEpisode[nFollowups] = episode;
        fDate[nFollowups] = date;
        fReached[nFollowups] = reached ? 1 : 0;
        fAbstinent[nFollowups] = abstinent;
        nFollowups++;
    }

    void addMeeting(int date, int group) {
        if (nMeetings == mDate.length) {
            int n = nMeetings * 2;
            mDate = Arrays.copyOf(mDate, n);
            mGroup = Arrays.copyOf(mGroup, n);
        }
        mDate[nMeetings] = date;
        mGroup[nMeetings] = group;
        nMeetings++;
    }

    /** Drops the rows added since the given marks that are dated on or after {@code limitDay}. */
    void truncateFrom(int sessionMark, int screenMark, int eventMark, int followupMark, int meetingMark, int limitDay) {
        int w = sessionMark;
        for (int i = sessionMark; i < nSessions; i++) {
            if (sDate[i] < limitDay) {
                sDate[w] = sDate[i];
                sType[w] = sType[i];
                sMinutes[w] = sMinutes[i];
                sStatus[w] = sStatus[i];
                sEpisode[w] = sEpisode[i];
                w++;
            }
        }
        nSessions = w;
        w = screenMark;
        for (int i = screenMark; i < nScreens; i++) {
            if (xDate[i] < limitDay) {
                xDate[w] = xDate[i];
                xResult[w] = xResult[i];
                xSubstance[w] = xSubstance[i];
                w++;
            }
        }
        nScreens = w;
        w = eventMark;
        for (int i = eventMark; i < nEvents; i++) {
            if (uDate[i] < limitDay) {
                uDate[w] = uDate[i];
                uType[w] = uType[i];
                uSubstance[w] = uSubstance[i];
                uSource[w] = uSource[i];
                w++;
            }
        }
        nEvents = w;
        w = followupMark;
        for (int i = followupMark; i < nFollowups; i++) {
            if (fDate[i] < limitDay) {
                fEpisode[w] = fEpisode[i];
                fDate[w] = fDate[i];
                fReached[w] = fReached[i];
                fAbstinent[w] = fAbstinent[i];
                w++;
            }
        }
        nFollowups = w;
        w = meetingMark;
        for (int i = meetingMark; i < nMeetings; i++) {
            if (mDate[i] < limitDay) {
                mDate[w] = mDate[i];
                mGroup[w] = mGroup[i];
                w++;
            }
        }
        nMeetings = w;
    }

    public String episodeId(int episodeNumber) {
        return participantId + "-" + episodeNumber;
    }
}
