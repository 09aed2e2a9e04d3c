//! What every fake's handle offers besides its own state.

/// Adds `url`, `requests`, `accepted`, `fail_next`, `fail_always` and `heal` to a fake
/// holding its server in `self.server`.
macro_rules! fake_handle {
    ($fake:ty) => {
        impl $fake {
            /// The base URL, `http://127.0.0.1:<port>`.
            pub fn url(&self) -> String {
                self.server.url()
            }

            /// Every request so far, with the status it got.
            pub fn requests(&self) -> Vec<$crate::Recorded> {
                self.server.requests()
            }

            /// The requests answered with a 2xx.
            pub fn accepted(&self) -> Vec<$crate::Recorded> {
                self.requests()
                    .into_iter()
                    .filter(|r| r.accepted())
                    .collect()
            }

            /// The next `count` requests meet `fault` instead of the service.
            pub fn fail_next(&self, count: usize, fault: $crate::Fault) {
                self.server.fail_next(count, fault);
            }

            /// Every request meets `fault` until [`Self::heal`].
            pub fn fail_always(&self, fault: $crate::Fault) {
                self.server.fail_always(Some(fault));
            }

            /// Ends a standing fault (queued one-off faults still apply).
            pub fn heal(&self) {
                self.server.fail_always(None);
            }
        }
    };
}

pub(crate) use fake_handle;
