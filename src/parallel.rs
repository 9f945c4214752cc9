//! Work shared out over the machine's cores: indices handed out to threads
//! as they finish one ([`queue`]), and parts whose results come back in
//! the parts' order ([`map`]). What a caller builds from them never
//! depends on how many threads ran.

/// How many threads the machine runs at once (1 when it cannot say).
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` of each part, in the parts' order, worked on up to `threads`
/// threads ([`queue`]): cut the work finer than the threads for parts of
/// uneven cost.
pub fn map<P, R>(parts: Vec<P>, threads: usize, f: impl Fn(P) -> R + Sync) -> Vec<R>
where
    P: Send,
    R: Send,
{
    use std::sync::Mutex;
    if threads < 2 || parts.len() < 2 {
        return parts.into_iter().map(f).collect();
    }
    let n = parts.len();
    let parts: Vec<Mutex<Option<P>>> = parts.into_iter().map(|p| Mutex::new(Some(p))).collect();
    let done: Vec<Mutex<Option<R>>> = (0..n).map(|_| Mutex::new(None)).collect();
    queue(n, threads, |i| {
        let part = parts[i].lock().ok().and_then(|mut p| p.take());
        if let (Some(p), Ok(mut d)) = (part, done[i].lock()) {
            *d = Some(f(p));
        }
        true
    });
    done.into_iter()
        .filter_map(|d| d.into_inner().ok().flatten())
        .collect()
}

/// Runs `work` on each index below `n`, on up to `threads` threads (this
/// one among them), each taking the next index as it finishes one: for
/// parts of uneven cost, in no set order. When `work` returns `false` no
/// further index is handed out. A panic on any thread is a panic here.
pub fn queue(n: usize, threads: usize, work: impl Fn(usize) -> bool + Sync) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let run = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            return;
        }
        if !work(i) {
            next.store(n, Ordering::Relaxed);
            return;
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads.min(n) {
            // As deep as the main thread (the parser and the renderers
            // recurse once per level of nesting). A thread that cannot
            // start leaves its share to the others and to this one.
            let _ = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(s, run);
        }
        run();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_in_the_parts_order() {
        let parts: Vec<Vec<u32>> = (0..50).map(|i| (0..i).collect()).collect();
        let sums: Vec<u32> = parts.iter().map(|p| p.iter().sum()).collect();
        assert_eq!(map(parts.clone(), 4, |p| p.iter().sum::<u32>()), sums);
        assert_eq!(map(parts, 1, |p| p.iter().sum::<u32>()), sums);
        assert!(map(Vec::<u32>::new(), 4, |p| p).is_empty());
        assert_eq!(map(vec![7], 4, |x: i32| x * 2), vec![14]);
    }

    #[test]
    fn every_index_is_worked_once_and_false_stops_the_handing_out() {
        let seen: Vec<AtomicUsize> = (0..100).map(|_| AtomicUsize::new(0)).collect();
        queue(100, 4, |i| {
            seen[i].fetch_add(1, Ordering::Relaxed);
            true
        });
        assert!(seen.iter().all(|s| s.load(Ordering::Relaxed) == 1));

        let worked = AtomicUsize::new(0);
        queue(100, 1, |i| {
            worked.fetch_add(1, Ordering::Relaxed);
            i != 3
        });
        assert_eq!(worked.load(Ordering::Relaxed), 4);
    }
}
