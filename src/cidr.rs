//! IPv4 CIDR blocks: parsed by the syntax, held by the model, reasoned
//! about by the rules (containment, overlap, size).

/// An IPv4 CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    pub addr: u32,
    pub prefix: u8,
}

impl Cidr {
    pub fn mask(&self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        }
    }
    pub fn network(&self) -> u32 {
        self.addr & self.mask()
    }
    pub fn last(&self) -> u32 {
        self.network() | !self.mask()
    }
    /// Inside a private range (RFC 1918, shared address space RFC 6598):
    /// never the internet's or AWS's public services'.
    pub fn is_private(&self) -> bool {
        const PRIVATE: [(u32, u8); 4] = [
            (0x0A00_0000, 8),  // 10.0.0.0/8
            (0xAC10_0000, 12), // 172.16.0.0/12
            (0xC0A8_0000, 16), // 192.168.0.0/16
            (0x6440_0000, 10), // 100.64.0.0/10
        ];
        PRIVATE
            .iter()
            .any(|&(addr, prefix)| Cidr { addr, prefix }.contains(self))
    }

    pub fn contains(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && other.network() & self.mask() == self.network()
    }
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }
    pub fn host_bits_set(&self) -> bool {
        self.addr != self.network()
    }
    /// The number of addresses in the block.
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }
    pub fn canonical(&self) -> Cidr {
        Cidr {
            addr: self.network(),
            prefix: self.prefix,
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = self.addr;
        write!(
            f,
            "{}.{}.{}.{}/{}",
            a >> 24,
            (a >> 16) & 255,
            (a >> 8) & 255,
            a & 255,
            self.prefix
        )
    }
}
