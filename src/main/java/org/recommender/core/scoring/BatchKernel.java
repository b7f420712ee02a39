package org.recommender.core.scoring;

/**
 * The root of the kernel family: something that scores a batch of items in one of the ways {@link Kernel} names.
 * Implementations of one family ({@link DotKernel}, {@link NetworkKernel}) compute the same function and differ only
 * in where and in which order the arithmetic runs; for the same inputs they agree to 1e-5 relative.
 */
public interface BatchKernel {
    /** @return which kernel this is */
    Kernel kernel();
}
