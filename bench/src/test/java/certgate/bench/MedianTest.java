package certgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void the_median_of_an_odd_count_is_the_middle_value() {
        assertEquals(3.0, Median.of(new double[] {5, 3, 1}));
    }

    @Test
    void the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assertEquals(2.5, Median.of(new double[] {4, 1, 2, 3}));
    }

    @Test
    void the_values_given_are_left_in_their_order() {
        double[] values = {4, 1, 2, 3};
        Median.of(values);
        assertEquals(4.0, values[0]);
    }

    @Test
    void no_values_have_no_median() {
        assertThrows(IllegalArgumentException.class, () -> Median.of(new double[0]));
    }
}
