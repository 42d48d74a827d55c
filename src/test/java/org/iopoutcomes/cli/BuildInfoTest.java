package org.iopoutcomes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BuildInfoTest {
    private static final String COMMIT = "560e009c8d301110cf17b9452c87f25e177dfc45";

    @Test
    void aBuildFromUncommittedChangesSaysSo() {
        assertEquals(COMMIT, BuildInfo.describe(COMMIT, "false"));
        assertEquals(COMMIT + "-dirty", BuildInfo.describe(COMMIT, "true"));
    }

    @Test
    void aBuildWithoutGitIsUnknownNotALiteralPlaceholder() {
        assertEquals("unknown", BuildInfo.describe("${git.commit.id}", "${git.dirty}"));
        assertEquals("unknown", BuildInfo.describe("", "true"));
    }
}
