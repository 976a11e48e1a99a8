//! Closed lists stored as short codes: one definition gives the enum, its stored code
//! (also its JSON form), every value in order, and parsing back.

/// Declares a closed list whose variants are stored and sent as the given codes.
#[macro_export]
macro_rules! stored_codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|value| value.as_str() == code)
            }
        }

        impl $crate::codes::StoredCode for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }

            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    };
}

/// What every `stored_codes!` list offers, so one filter or form control serves them all.
pub trait StoredCode: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;

    fn from_code(code: &str) -> Option<Self> {
        Self::all()
            .iter()
            .copied()
            .find(|value| value.code() == code)
    }
}
