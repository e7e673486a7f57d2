package com.shopsense.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * What the item task computes per item and window, and the shortcuts it takes for it: the decay table gives the
 * very doubles {@link TrendingSpec#decay} gives (lists and their scores stay bit for bit what they were), and the
 * category's scope key follows the item's category.
 */
class TrendingItemStateTest {
    private static final long PANE = 60_000L;
    private static final long T0 = 1_700_000_040_000L - Math.floorMod(1_700_000_040_000L, PANE);

    @Property
    void theDecayTableScoresExactlyAsTheFormula(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 90) Integer> panes,
            @ForAll @IntRange(min = 1, max = 90) int windowPanes, @ForAll @IntRange(min = 1, max = 7_200) int halfLifeS,
            @ForAll @IntRange(min = 0, max = 100) int windowEndPane, @ForAll @IntRange(min = 1, max = 9) int weight) {
        TrendingSpec spec = new TrendingSpec(windowPanes * PANE, PANE, halfLifeS * 1000L, 1, 10, 1, 3, 5);
        TrendingItemState s = new TrendingItemState();
        for (int p : panes) {
            s.add(new TrendingPane("item", "c", T0, T0 + (p + 1) * PANE, weight * (1 + p % 3), 1));
        }
        double[] table = spec.decayByPaneAge();
        long end = T0 + windowEndPane * PANE;
        assertThat(s.score(end, spec, table)).isEqualTo(s.score(end, spec));
    }

    @Test
    void aPaneOffTheGridIsComputed() {
        TrendingSpec spec = new TrendingSpec(10 * PANE, PANE, 5 * PANE, 1, 10, 1, 3, 5);
        TrendingItemState s = new TrendingItemState();
        s.add(new TrendingPane("item", "c", T0, T0 + PANE / 2, 4, 1)); // a pane of a job with 30 s panes
        s.add(new TrendingPane("item", "c", T0, T0 + PANE, 2, 1));
        long end = T0 + 3 * PANE;
        double expected = 4 * Math.pow(2.0, -(2.5 * PANE) / (5 * PANE)) + 2 * Math.pow(2.0, -(2.0 * PANE) / (5 * PANE));
        assertThat(s.score(end, spec, spec.decayByPaneAge())).isEqualTo(s.score(end, spec)).isEqualTo(expected);
    }

    @Test
    void theScopeKeyFollowsTheCategory() {
        TrendingItemState s = new TrendingItemState();
        assertThat(s.categoryScope()).isNull();
        s.add(new TrendingPane("item", "shoes", T0, T0 + PANE, 1, 1));
        assertThat(s.categoryScope()).isEqualTo("cat:shoes").isSameAs(s.categoryScope());
        s.add(new TrendingPane("item", "sale {x}", T0 + 1, T0 + PANE, 1, 1)); // newer event, a category no key can carry
        assertThat(s.categoryScope()).isNull();
        s.add(new TrendingPane("item", "boots", T0 + 2, T0 + PANE, 1, 1));
        assertThat(s.categoryScope()).isEqualTo("cat:boots");
        TrendingItemState copy = TrendingItemStateSerializer.INSTANCE.copy(s);
        assertThat(copy.categoryScope()).as("made again for a copy or a restored item").isEqualTo("cat:boots");
    }
}
