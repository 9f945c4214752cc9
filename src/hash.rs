//! Hashing: the fast hasher of the maps keyed by names and ids on the hot
//! paths ([`Map`]: resource ids in the graph and the renderers, logical ids
//! in the split, names in E098), and the stable hash that places services
//! in nested stacks ([`fnv1a`]).
//!
//! The keys are names from the user's own sources or ids the compiler
//! made, so the maps need no defence against chosen collisions, which is
//! what std's SipHash pays for.

/// A `HashMap` with the [`Fast`] hasher.
pub type Map<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fast>>;

/// A [`Map`] of `capacity` entries before it grows.
pub fn map<K, V>(capacity: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(capacity, Default::default())
}

/// FxHash's mixing, a word at a time: fast and deterministic.
#[derive(Default, Clone, Copy)]
pub struct Fast(u64);

impl std::hash::Hasher for Fast {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for b in chunks.remainder() {
            self.add(u64::from(*b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(u64::try_from(n).unwrap_or(u64::MAX));
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl Fast {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// 64-bit FNV-1a of `bytes`: the same on every machine and in every
/// release, which a partition that must not move resources between runs
/// needs.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a_64_and_never_changes() {
        // Published FNV-1a test vectors: a different hash would move every
        // service of every split stack to another nested stack.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_map_finds_what_it_holds() {
        let mut m: Map<&str, usize> = map(2);
        m.insert("WebService", 1);
        m.insert("WebTaskDefinition", 2);
        m.insert("WebTaskDefinitio", 3);
        assert_eq!(m.get("WebService"), Some(&1));
        assert_eq!(m.get("WebTaskDefinition"), Some(&2));
        assert_eq!(m.get("WebTaskDefinitio"), Some(&3));
        assert_eq!(m.get("Web"), None);
    }
}
