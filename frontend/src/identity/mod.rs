//! Who is signed in: the session context, the login page and the home page.

mod home;
mod idle;
mod login;
mod session;

pub use home::HomePage;
pub use idle::{IdleWatch, SIGNED_OUT_IDLE_KEY};
pub use login::LoginPage;
pub use session::{use_session, SessionProvider};
