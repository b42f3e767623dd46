package org.cbhealth.hub.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectoryIdsTest {

    @Test
    void aValidOwnIdIsPrefixedWithThePartner() {
        assertThat(DirectoryIds.hubId("mk-kb-stip", "ODD-01")).isEqualTo("mk-kb-stip-ODD-01");
        assertThat(DirectoryIds.hubId("bg-mbal-blagoevgrad", "dept.1")).isEqualTo("bg-mbal-blagoevgrad-dept.1");
    }

    @Test
    void anOwnIdThatIsNoFhirIdOrTooLongIsHashedTheSameWayEveryTime() {
        String cyrillic = DirectoryIds.hubId("mk-kb-stip", "Одд/01");
        assertThat(cyrillic)
                .isEqualTo("mk-kb-stip-h" + DirectoryIds.sha256("Одд/01").substring(0, 20));
        assertThat(DirectoryIds.hubId("mk-kb-stip", "Одд/01")).isEqualTo(cyrillic);
        assertThat(DirectoryIds.hubId("mk-kb-stip", "Одд/02")).isNotEqualTo(cyrillic);
        String longId = DirectoryIds.hubId("a-partner-with-a-rather-long-identifier-for-tests", "x".repeat(40));
        assertThat(longId).hasSizeLessThanOrEqualTo(64).matches("[A-Za-z0-9\\-.]+");
    }
}
