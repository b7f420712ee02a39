package org.recommender.tools.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A ratings CSV with a structure a rating model can learn — item quality plus a user offset, plus noise; 250 users
 * rate 20 of 80 items each, in time order — and the ratings' standard deviation, which predicting the mean everywhere
 * scores as RMSE. Shared by the command tests of rating models.
 */
final class PlantedRatings {
    private PlantedRatings() {}

    /** Writes the CSV as {@code dir/planted.csv} (a name no preset format claims) and returns its path. */
    static Path write(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(9);
        double[] quality = random.doubles(80, 1.5, 4.5).toArray();
        StringBuilder csv = new StringBuilder("user_id,item_id,rating,timestamp\n");
        for (int u = 0; u < 250; u++) {
            double offset = random.nextDouble(-0.5, 0.5);
            for (int k = 0; k < 20; k++) {
                int i = random.nextInt(80);
                long rating = Math.round(Math.max(1, Math.min(5, quality[i] + offset + random.nextDouble(-0.5, 0.5))));
                csv.append('u').append(u).append(",i").append(i).append(',').append(rating).append(',').append(k).append('\n');
            }
        }
        Path file = dir.resolve("planted.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** @return the population standard deviation of the ratings in {@code csv}: the RMSE of predicting their mean */
    static double spread(Path csv) throws IOException {
        double[] ratings = Files.readAllLines(csv).stream().skip(1).mapToDouble(line -> Double.parseDouble(line.split(",")[2])).toArray();
        double mean = Arrays.stream(ratings).average().orElseThrow();
        return Math.sqrt(Arrays.stream(ratings).map(x -> (x - mean) * (x - mean)).average().orElseThrow());
    }
}
