package org.recommender.plugin.store;

import org.opensearch.action.admin.cluster.snapshots.restore.RestoreSnapshotRequest;
import org.opensearch.test.OpenSearchTestCase;

/**
 * A snapshot may restore the model store as itself, but a restore may not rename it into an ordinary index (whose
 * documents, bundles included, anyone could then search) nor rename another index to it.
 */
public class ModelStoreGuardRestoreTests extends OpenSearchTestCase {
    private static RestoreSnapshotRequest restore(String pattern, String replacement, String... indices) {
        RestoreSnapshotRequest request = new RestoreSnapshotRequest("repo", "snap").indices(indices);
        if (pattern != null) {
            request.renamePattern(pattern).renameReplacement(replacement);
        }
        return request;
    }

    public void testARestoreMayNotRenameTheStoreNorMakeAnotherIndexTheStore() {
        assertNull("no rename: the store comes back as itself", ModelStoreGuard.restoreRefusal(restore(null, null, "*")));
        assertEquals(
            "renaming the store to [stolen-.recommender-models] on restore",
            ModelStoreGuard.restoreRefusal(restore("(.+)", "stolen-$1", "*"))
        );
        assertEquals("renaming the store to [stolen] on restore", ModelStoreGuard.restoreRefusal(restore("\\.recommender-models", "stolen", ".recommender-models")));
        assertEquals(
            "renaming the store to [stolen] on restore",
            ModelStoreGuard.restoreRefusal(restore("\\.recommender-models", "stolen"))
        ); // no indices: every index of the snapshot
        assertEquals("renaming an index to the store on restore", ModelStoreGuard.restoreRefusal(restore("decoy", ".recommender-models", "decoy")));
        assertNull("a rename the store's name does not match", ModelStoreGuard.restoreRefusal(restore("logs-(.+)", "old-logs-$1", "*")));
        assertNull("patterns that cannot cover the store", ModelStoreGuard.restoreRefusal(restore("(.+)", "old-$1", "logs-*", "metrics")));
    }
}
