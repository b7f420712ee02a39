package org.recommender.core.model;

/**
 * One weight block a bundle must contain, as implied by its header: where it belongs (its name in messages and in
 * {@code docs/model-format.md}, e.g. {@code layers[1].weights}) and its shape.
 *
 * @param name the block's name
 * @param rows rows (1 for a vector)
 * @param columns columns (the length, for a vector)
 * @param matrix whether to describe the shape as {@code rows x columns}
 */
record BlockSpec(String name, int rows, int columns, boolean matrix) {
    static BlockSpec matrix(String name, int rows, int columns) {
        return new BlockSpec(name, rows, columns, true);
    }

    static BlockSpec vector(String name, int length) {
        return new BlockSpec(name, 1, length, false);
    }

    /** @return the number of floats the block holds */
    long floats() {
        return (long) rows * columns;
    }

    /** @return the shape as messages show it, e.g. {@code 64x128} or {@code 64} */
    String shape() {
        return matrix ? rows + "x" + columns : Integer.toString(columns);
    }

    /** @return where element {@code index} sits, e.g. {@code [3]} or {@code [row 0, column 17]} */
    String position(long index) {
        return matrix ? "[row " + index / columns + ", column " + index % columns + "]" : "[" + index + "]";
    }
}
