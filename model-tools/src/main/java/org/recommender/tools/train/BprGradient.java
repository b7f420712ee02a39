package org.recommender.tools.train;

/** The gradient of one BPR triple's −ln σ(u·i − u·j), scaled, added into gradient buffers; shared by the Adam trainers. */
public final class BprGradient {
    private BprGradient() {}

    /**
     * @param scale multiplies the gradient (1 / batch size for a batch mean)
     * @return the triple's −ln σ(u·i − u·j)
     */
    public static double add(float[][] users, float[][] items, int u, int i, int j, float scale, float[][] userGradient, float[][] itemGradient) {
        float[] pu = users[u];
        float[] qi = items[i];
        float[] qj = items[j];
        float x = 0;
        for (int f = 0; f < pu.length; f++) {
            x += pu[f] * (qi[f] - qj[f]);
        }
        // d(−ln σ(x))/dx = −σ(−x)
        float g = (float) (-scale / (1 + StrictMath.exp(x)));
        float[] gu = userGradient[u];
        float[] gi = itemGradient[i];
        float[] gj = itemGradient[j];
        for (int f = 0; f < pu.length; f++) {
            gu[f] += g * (qi[f] - qj[f]);
            gi[f] += g * pu[f];
            gj[f] -= g * pu[f];
        }
        return BprTrainer.softplus(-x);
    }
}
