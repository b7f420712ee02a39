package org.recommender.tools.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportPartsTest {
    @Test
    void metricNamesSplitIntoFamilyAndCutOff() {
        assertEquals(new MetricName("ndcg", 10), MetricName.parse("ndcg@10"));
        assertEquals(new MetricName("auc", 0), MetricName.parse("auc"));
        assertEquals(new MetricName("hr@all", 0), MetricName.parse("hr@all"));
        assertTrue(MetricName.parse("rmse").lowerIsBetter());
        assertTrue(MetricName.parse("MAE").lowerIsBetter());
        assertFalse(MetricName.parse("recall@20").lowerIsBetter());
    }

    @Test
    void scalesRoundToNiceTicks() {
        Scale s = Scale.nice(0.187, 0.93, 300, 0, false);
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), s.ticks().stream().map(t -> Math.round(t * 10) / 10.0).toList());
        assertEquals("0.4", s.label(s.ticks().get(2)));
        assertEquals(300, s.map(0), 1e-9);
        assertEquals(0, s.map(1), 1e-9);
        Scale epochs = Scale.nice(1, 3, 0, 100, true);
        assertTrue(epochs.ticks().stream().allMatch(t -> t == Math.rint(t)), "whole epochs: " + epochs.ticks());
        Scale flat = Scale.nice(5, 5, 0, 100, false);
        assertTrue(flat.map(5) > 0 && flat.map(5) < 100, "one value sits inside the axis");
    }

    @Test
    void textIsEscapedForHtmlAndXml() {
        assertEquals("a&lt;b&amp;c &quot;d&quot; &#39;e&#39; &gt;", Text.escape("a<b&c \"d\" 'e' >"));
        assertEquals("x y", Text.escape("x\u0001y"), "control characters would make the SVG invalid XML");
        assertEquals("—", Text.metric(Double.NaN));
        assertEquals("0.1235", Text.metric(0.123456));
    }
}
