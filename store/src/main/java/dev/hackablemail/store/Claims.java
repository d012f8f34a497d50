package dev.hackablemail.store;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** The two kinds of {@link GuestStore.LedgerClaim}. */
final class Claims {

    /** What undoes a granted claim. */
    @FunctionalInterface
    interface Release {
        void run() throws IOException;
    }

    private Claims() {}

    static GuestStore.LedgerClaim granted(Release release) {
        return new GuestStore.LedgerClaim() {
            private boolean released;

            @Override
            public boolean granted() {
                return true;
            }

            @Override
            public Optional<Instant> lastSent() {
                return Optional.empty();
            }

            @Override
            public synchronized void release() throws IOException {
                if (!released) {
                    released = true;
                    release.run();
                }
            }
        };
    }

    static GuestStore.LedgerClaim refused(Instant lastSent) {
        return new GuestStore.LedgerClaim() {
            @Override
            public boolean granted() {
                return false;
            }

            @Override
            public Optional<Instant> lastSent() {
                return Optional.ofNullable(lastSent);
            }

            @Override
            public void release() {
                // nothing was claimed
            }
        };
    }
}
