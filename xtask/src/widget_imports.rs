//! Short names for the widget's imports. wasm-bindgen names each one after its JS function
//! plus a 16-digit hash (`__wbg_getComputedStyle_3be93eadae0000a9`) and spells the module
//! name (`./snag_widget_bg.js`) on every import; the widget has about 250 of them, in the
//! wasm's import section and again as keys in the JS glue. Hashes do not compress, so
//! renaming them `a`, `b`, … `aa` saves about 5 KB gzipped of what every widget load
//! downloads. The names only have to agree between the two files, which this step rewrites
//! together.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use anyhow::bail;

const MODULE: &str = "./snag_widget_bg.js";
/// The module name that replaces it.
const SHORT_MODULE: &str = "w";

pub fn shorten(module: &mut walrus::Module, glue: &Path) -> anyhow::Result<()> {
    let mut names = HashMap::new();
    for import in module.imports.iter_mut() {
        if import.module != MODULE {
            continue;
        }
        let short = short_name(names.len());
        names.insert(import.name.clone(), short.clone());
        import.module = SHORT_MODULE.to_owned();
        import.name = short;
    }
    let source = fs::read_to_string(glue)?;
    let quoted = format!("\"{MODULE}\"");
    if !source.contains(&quoted) {
        bail!("the glue no longer names {MODULE}: wasm-bindgen changed its output");
    }
    let (rewritten, replaced) = rename_identifiers(&source, &names);
    if replaced < names.len() {
        bail!(
            "only {replaced} of {} import names were found in the glue",
            names.len()
        );
    }
    fs::write(
        glue,
        rewritten.replace(&quoted, &format!("\"{SHORT_MODULE}\"")),
    )?;
    Ok(())
}

/// `a` … `z`, then `ba`, `bb`, …: base 26 with letters, so never a JS keyword in practice
/// and never starting with a digit.
fn short_name(mut index: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'a' + (index % 26) as u8);
        index /= 26;
        if index == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// Replaces whole identifiers found in `names`; returns the text and how many distinct
/// names were replaced.
fn rename_identifiers(source: &str, names: &HashMap<String, String>) -> (String, usize) {
    let mut out = String::with_capacity(source.len());
    let mut seen = std::collections::HashSet::new();
    let mut rest = source;
    while let Some(start) = rest.find(is_ident) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_ident(c)).unwrap_or(tail.len());
        let word = &tail[..end];
        match names.get(word) {
            Some(short) => {
                out.push_str(short);
                seen.insert(word);
            }
            None => out.push_str(word),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    (out, seen.len())
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_count_in_letters() {
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(25), "z");
        assert_eq!(short_name(26), "ba");
        assert_eq!(short_name(27), "bb");
    }

    #[test]
    fn only_whole_identifiers_are_renamed() {
        let names = HashMap::from([("__wbg_get_1f".to_owned(), "a".to_owned())]);
        let (text, n) = rename_identifiers(
            "{__wbg_get_1f:function(){},__wbg_get_1fx:1}; x.__wbg_get_1f",
            &names,
        );
        assert_eq!(text, "{a:function(){},__wbg_get_1fx:1}; x.a");
        assert_eq!(n, 1);
    }
}
