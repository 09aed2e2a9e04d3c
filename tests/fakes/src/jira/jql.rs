//! The little JQL the fake understands: `field = "value"` clauses joined by `AND`, an
//! optional `ORDER BY`. Anything else is refused as Jira refuses a query it cannot parse.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    pub field: String,
    pub value: String,
}

pub(crate) fn parse(jql: &str) -> Result<Vec<Clause>, String> {
    let mut tokens = tokenize(jql)?.into_iter().peekable();
    let mut clauses = Vec::new();
    loop {
        let field = match tokens.next() {
            Some(Token::Word(w)) => w.to_lowercase(),
            other => return Err(format!("Expecting a field name but got {other:?}")),
        };
        if !matches!(field.as_str(), "project" | "labels" | "key" | "issuetype") {
            return Err(format!("Field '{field}' is not supported by this fake"));
        }
        match tokens.next() {
            Some(Token::Equals) => {}
            other => return Err(format!("Expecting operator '=' but got {other:?}")),
        }
        let value = match tokens.next() {
            Some(Token::Word(w)) | Some(Token::Quoted(w)) => w,
            other => return Err(format!("Expecting a value but got {other:?}")),
        };
        clauses.push(Clause { field, value });
        match tokens.next() {
            None => break,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("and") => continue,
            Some(Token::Word(w)) if w.eq_ignore_ascii_case("order") => {
                match tokens.next() {
                    Some(Token::Word(by)) if by.eq_ignore_ascii_case("by") => {}
                    other => return Err(format!("Expecting 'by' but got {other:?}")),
                }
                match tokens.next() {
                    Some(Token::Word(_)) => {}
                    other => {
                        return Err(format!("Expecting a field to order by but got {other:?}"));
                    }
                }
                match tokens.next() {
                    None => break,
                    Some(Token::Word(d))
                        if d.eq_ignore_ascii_case("asc") || d.eq_ignore_ascii_case("desc") =>
                    {
                        if tokens.next().is_some() {
                            return Err("Unexpected text after the ORDER BY clause".into());
                        }
                        break;
                    }
                    other => return Err(format!("Unexpected {other:?} in ORDER BY")),
                }
            }
            other => return Err(format!("Expecting 'AND' or end of query but got {other:?}")),
        }
    }
    Ok(clauses)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Equals,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '=' {
            chars.next();
            tokens.push(Token::Equals);
        } else if c == '"' || c == '\'' {
            chars.next();
            let mut value = String::new();
            loop {
                match chars.next() {
                    Some('\\') => match chars.next() {
                        Some(escaped) => value.push(escaped),
                        None => return Err("Unterminated escape".into()),
                    },
                    Some(q) if q == c => break,
                    Some(other) => value.push(other),
                    None => return Err("Unterminated string".into()),
                }
            }
            tokens.push(Token::Quoted(value));
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            let mut word = String::new();
            while let Some(&w) = chars.peek() {
                if w.is_alphanumeric() || w == '_' || w == '-' {
                    word.push(w);
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push(Token::Word(word));
        } else {
            return Err(format!("The character '{c}' is a reserved JQL character"));
        }
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connectors_query_parses() {
        let clauses =
            parse(r#"project = "SHOP" AND labels = "snag-1" ORDER BY created ASC"#).unwrap();
        assert_eq!(clauses.len(), 2);
        assert_eq!(clauses[1].value, "snag-1");
    }

    #[test]
    fn other_queries_are_refused() {
        assert!(parse("order by key desc").is_err());
        assert!(parse(r#"summary ~ "x""#).is_err());
        assert!(parse(r#"labels = "a" OR labels = "b""#).is_err());
    }
}
