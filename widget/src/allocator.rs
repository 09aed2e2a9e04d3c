//! The widget's memory allocator: power-of-two size classes with a free list each. Rust's
//! default for wasm (dlmalloc) is 7 KB of code, over 3 KB gzipped of every widget download;
//! this one is a few hundred bytes. What it gives up suits a dialog: memory is never handed
//! back (wasm memory cannot shrink anyway) and a block may be up to twice the size asked
//! for; blocks of one class are reused for that class, so repeated screenshots of a page
//! reuse the same blocks rather than growing.
//!
//! Blocks up to 32 KB are carved from 64 KB pages dedicated to their class; larger ones
//! are whole pages from `memory.grow`. Either way a block of size `n` is `n`-aligned (or
//! page-aligned), which covers every alignment up to its size.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

const PAGE: usize = 65_536;
/// Classes 16 B (2^4) up to 2^31 B.
const CLASSES: usize = 28;

pub struct Allocator {
    /// Head of each class's free list; a free block holds the address of the next.
    free: UnsafeCell<[usize; CLASSES]>,
}

// SAFETY: the widget is built for wasm32 without threads; there is one thread.
unsafe impl Sync for Allocator {}

impl Allocator {
    pub const fn new() -> Allocator {
        Allocator {
            free: UnsafeCell::new([0; CLASSES]),
        }
    }
}

impl Default for Allocator {
    fn default() -> Self {
        Allocator::new()
    }
}

/// The class of a request and its block size, or `None` past the largest class.
fn class(layout: Layout) -> Option<(usize, usize)> {
    let size = layout
        .size()
        .max(layout.align())
        .max(16)
        .checked_next_power_of_two()?;
    let index = size.trailing_zeros() as usize - 4;
    (index < CLASSES).then_some((index, size))
}

/// `pages` new pages of memory, zeroed; 0 when the browser refuses.
fn grow(pages: usize) -> usize {
    let previous = core::arch::wasm32::memory_grow(0, pages);
    if previous == usize::MAX {
        0
    } else {
        previous * PAGE
    }
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((index, size)) = class(layout) else {
            return core::ptr::null_mut();
        };
        // SAFETY: one thread, and no reentrancy: nothing below allocates.
        let free = unsafe { &mut *self.free.get() };
        if free[index] == 0 {
            if size >= PAGE {
                return grow(size / PAGE) as *mut u8;
            }
            let page = grow(1);
            if page == 0 {
                return core::ptr::null_mut();
            }
            // Thread the new page's blocks onto the free list, last block first.
            let mut block = page + PAGE - size;
            loop {
                // SAFETY: `block` is inside the page we own, aligned to `size` >= 16.
                unsafe { *(block as *mut usize) = free[index] };
                free[index] = block;
                if block == page {
                    break;
                }
                block -= size;
            }
        }
        let block = free[index];
        // SAFETY: a free block holds the next free block's address.
        free[index] = unsafe { *(block as *const usize) };
        block as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some((index, _)) = class(layout) else {
            return;
        };
        // SAFETY: one thread; `ptr` came from `alloc` with this layout, so its block is at
        // least 16 bytes and ours again.
        unsafe {
            let free = &mut *self.free.get();
            *(ptr as *mut usize) = free[index];
            free[index] = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `layout.align()` is valid and `new_size` fits.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(new_layout).map(|c| c.0) == class(layout).map(|c| c.0) {
            // Same class: the block already has room.
            return ptr;
        }
        // SAFETY: as `GlobalAlloc::realloc` requires; the blocks do not overlap.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
