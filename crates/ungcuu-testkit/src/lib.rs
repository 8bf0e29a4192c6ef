pub mod smtp;
pub mod webdriver;
