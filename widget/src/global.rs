//! Statics of the widget's few pieces of page-wide state (the started widget, the outbox's
//! bookkeeping). The crate is `no_std`, so `thread_local!` is not there; a static needs a
//! `Sync` value instead, and the widget's values (`Rc`, `RefCell`, JS handles) are not.

/// A value the widget's one thread owns, usable as a `static`.
pub struct Global<T>(T);

// SAFETY: the widget runs only on wasm32 without the `atomics` target feature (the crate root
// refuses to build for anything else): that is one thread, so no value is ever reached from
// two threads.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(value: T) -> Global<T> {
        Global(value)
    }

    /// Runs `f` with the value, the way `LocalKey::with` does.
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.0)
    }
}
