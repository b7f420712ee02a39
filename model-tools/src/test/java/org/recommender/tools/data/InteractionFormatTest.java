package org.recommender.tools.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reports name a public data set by what it is, and any other file by its name. */
class InteractionFormatTest {
    @Test
    void reportsNameThePublicDataSetsAndTheirFile() {
        Path ml100k = Path.of("data", "ml-100k", "u.data");
        assertEquals("MovieLens 100K (u.data)", InteractionFormat.detect(ml100k).describe(ml100k));
        Path lastfm = Path.of("user_artists.dat");
        assertEquals("HetRec 2011 Last.fm (user_artists.dat)", InteractionFormat.detect(lastfm).describe(lastfm));
        Path csv = Path.of("tmp", "interactions.csv");
        assertEquals("interactions.csv", InteractionFormat.detect(csv).describe(csv), "a CSV can hold anything: only its name");
    }
}
