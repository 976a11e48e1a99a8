use serde::{Deserialize, Serialize};

/// Hong Kong's 18 districts, keyed by the Home Affairs Department letter codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum District {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    J,
    K,
    L,
    M,
    N,
    P,
    Q,
    R,
    S,
    T,
}

impl District {
    pub const ALL: [District; 18] = [
        District::A,
        District::B,
        District::C,
        District::D,
        District::E,
        District::F,
        District::G,
        District::H,
        District::J,
        District::K,
        District::L,
        District::M,
        District::N,
        District::P,
        District::Q,
        District::R,
        District::S,
        District::T,
    ];

    pub fn code(self) -> &'static str {
        match self {
            District::A => "A",
            District::B => "B",
            District::C => "C",
            District::D => "D",
            District::E => "E",
            District::F => "F",
            District::G => "G",
            District::H => "H",
            District::J => "J",
            District::K => "K",
            District::L => "L",
            District::M => "M",
            District::N => "N",
            District::P => "P",
            District::Q => "Q",
            District::R => "R",
            District::S => "S",
            District::T => "T",
        }
    }

    pub fn from_code(code: &str) -> Option<District> {
        District::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn name_en(self) -> &'static str {
        match self {
            District::A => "Central and Western",
            District::B => "Wan Chai",
            District::C => "Eastern",
            District::D => "Southern",
            District::E => "Yau Tsim Mong",
            District::F => "Sham Shui Po",
            District::G => "Kowloon City",
            District::H => "Wong Tai Sin",
            District::J => "Kwun Tong",
            District::K => "Tsuen Wan",
            District::L => "Tuen Mun",
            District::M => "Yuen Long",
            District::N => "North",
            District::P => "Tai Po",
            District::Q => "Sai Kung",
            District::R => "Sha Tin",
            District::S => "Kwai Tsing",
            District::T => "Islands",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            District::A => "中西區",
            District::B => "灣仔區",
            District::C => "東區",
            District::D => "南區",
            District::E => "油尖旺區",
            District::F => "深水埗區",
            District::G => "九龍城區",
            District::H => "黃大仙區",
            District::J => "觀塘區",
            District::K => "荃灣區",
            District::L => "屯門區",
            District::M => "元朗區",
            District::N => "北區",
            District::P => "大埔區",
            District::Q => "西貢區",
            District::R => "沙田區",
            District::S => "葵青區",
            District::T => "離島區",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for d in District::ALL {
            assert_eq!(District::from_code(d.code()), Some(d));
        }
        assert_eq!(District::from_code("I"), None);
        assert_eq!(District::from_code("a"), None);
    }
}
