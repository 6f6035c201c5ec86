//! Limits of the handoff configuration, in one place. The seed contract fixes the first four;
//! the rest keep a single configuration reasonable to store, send and evaluate per message.

pub const MESSAGE_MAX_CHARS: usize = 500;
pub const NAME_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
pub const KEYWORD_MAX_CHARS: usize = 100;

pub const KEYWORDS_MAX: usize = 5000;
pub const EMAILS_MAX: usize = 50;
pub use crate::fields::EMAIL_MAX_CHARS;
pub const AVAILABILITY_MAX: usize = 100;
pub const EXCEPTIONS_MAX: usize = 500;
pub const CUSTOM_GUIDELINES_MAX: usize = 100;
pub const EXAMPLES_MAX: usize = 50;
pub const EXAMPLE_MAX_CHARS: usize = 500;
pub const ROUTING_PROFILES_MAX: usize = 100;
pub const PROFILE_OPERATORS_MAX: usize = 200;
pub const INFORMATION_FIELDS_MAX: usize = 20;
pub const MAX_FAILED_ANSWERS_MAX: u32 = 20;
