//! The locale the UI formats numbers, money and dates for: the OS's regional setting,
//! which may differ from the language of the words (an English UI on a German system
//! writes "1.250,50 €").
//!
//! How the OS is asked:
//! - Linux and the other Unixes: the POSIX rule for formats, `LC_ALL`, then `LC_NUMERIC`
//!   (desktops set it with `LC_TIME` and `LC_MONETARY` from the "Formats" setting), then
//!   `LANG`; "C" and "POSIX" name no region and are passed over. `sys-locale` reads
//!   `LANGUAGE` and `LC_MESSAGES` first, which name the language of messages, not
//!   formats, so it is only the fallback here.
//! - macOS: `sys-locale` asks Core Foundation for the preferred languages
//!   (`CFLocaleCopyPreferredLanguages`); the first carries the region ("en-GB").
//! - Windows: the "Regional format" the user chose (Settings → Time & language →
//!   Region), which Windows keeps as a locale name in the user's registry
//!   (`HKEY_CURRENT_USER\Control Panel\International`, `LocaleName`), read with
//!   Microsoft's safe `windows-registry`. `sys-locale` answers the display language
//!   (`GetUserPreferredUILanguages`), so it is only the fallback there.

/// The OS's locale as a BCP 47 tag ("de-DE"), if it names one.
pub fn format_locale() -> Option<String> {
    format_locale_from(
        |name| std::env::var(name).ok(),
        || windows_regional_format().or_else(sys_locale::get_locale),
    )
}

/// The Windows user's regional format ("de-DE"); none elsewhere, or when it is unset.
#[cfg(windows)]
fn windows_regional_format() -> Option<String> {
    windows_registry::CURRENT_USER
        .open(r"Control Panel\International")
        .and_then(|key| key.get_string("LocaleName"))
        .ok()
        .filter(|name| !name.is_empty())
}

#[cfg(not(windows))]
fn windows_regional_format() -> Option<String> {
    None
}

/// `format_locale` with the environment and the system's answer given, for tests.
fn format_locale_from(
    env: impl Fn(&str) -> Option<String>,
    system: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let from_env = if cfg!(all(unix, not(target_vendor = "apple"))) {
        // The first variable set decides, as in POSIX: a "C" there means no region.
        ["LC_ALL", "LC_NUMERIC", "LANG"]
            .iter()
            .find_map(|name| env(name).filter(|value| !value.is_empty()))
    } else {
        None
    };
    match from_env {
        Some(value) => bcp47(&value),
        None => system().as_deref().and_then(bcp47),
    }
}

/// "de_DE.UTF-8@euro" as "de-DE"; none for "C" and "POSIX".
fn bcp47(posix: &str) -> Option<String> {
    let tag = posix
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .replace('_', "-");
    let names_a_language = tag.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    (names_a_language && tag != "C" && tag != "POSIX").then_some(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(all(unix, not(target_vendor = "apple")))]
    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn posix_names_become_language_tags() {
        assert_eq!(bcp47("de_DE.UTF-8").as_deref(), Some("de-DE"));
        assert_eq!(bcp47("de_DE.UTF-8@euro").as_deref(), Some("de-DE"));
        assert_eq!(bcp47("en-GB").as_deref(), Some("en-GB"));
        assert_eq!(bcp47("fr").as_deref(), Some("fr"));
        assert_eq!(bcp47("C.UTF-8"), None);
        assert_eq!(bcp47("POSIX"), None);
        assert_eq!(bcp47(""), None);
    }

    #[cfg(all(unix, not(target_vendor = "apple")))]
    #[test]
    fn on_linux_formats_follow_lc_numeric_over_the_language() {
        let system = || Some("en-US".to_owned());
        let german_formats = [("LANG", "en_US.UTF-8"), ("LC_NUMERIC", "de_DE.UTF-8")];
        assert_eq!(
            format_locale_from(env(&german_formats), system).as_deref(),
            Some("de-DE")
        );
        let all = [("LC_ALL", "fr_FR.UTF-8"), ("LC_NUMERIC", "de_DE.UTF-8")];
        assert_eq!(
            format_locale_from(env(&all), system).as_deref(),
            Some("fr-FR")
        );
        assert_eq!(
            format_locale_from(env(&[("LANG", "en_GB.UTF-8")]), system).as_deref(),
            Some("en-GB")
        );
        // "C" is a choice of no region, not a gap to fill from the language list.
        assert_eq!(format_locale_from(env(&[("LC_ALL", "C")]), system), None);
        assert_eq!(
            format_locale_from(env(&[]), system).as_deref(),
            Some("en-US"),
            "nothing set: the system's answer"
        );
    }
}
