//! FNV-1a, 64 bits: the stable hash that places services in nested stacks
//! ([`fnv1a`]), and the hasher of the maps keyed by names on the hot paths
//! ([`Map`]): logical ids, resource ids, addresses.
//!
//! The keys are short names from the user's own sources, so the maps need
//! no defence against chosen collisions, which is what std's SipHash pays
//! for; FNV-1a hashes such keys in a fraction of its time.

/// A `HashMap` hashed with FNV-1a.
pub type Map<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A map of `capacity` entries before it grows.
pub fn map<K, V>(capacity: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(capacity, Default::default())
}

/// FNV-1a as a [`std::hash::Hasher`].
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// 64-bit FNV-1a of `bytes`: the same on every machine and in every
/// release, which a partition that must not move resources between runs
/// needs.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    std::hash::Hasher::write(&mut h, bytes);
    h.0
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
        assert_eq!(m.get("WebService"), Some(&1));
        assert_eq!(m.get("WebTaskDefinition"), Some(&2));
        assert_eq!(m.get("Web"), None);
    }
}
