//! The `snag` command line. Subcommands, flags and `SNAG_*` names are a public contract:
//! extend them, never rename them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "snag",
    version,
    about = "Snag: user feedback and bug reports, turned into tickets"
)]
pub struct Cli {
    /// A TOML configuration file; `SNAG_*` variables override it.
    #[arg(long, global = true, env = "SNAG_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: ingestion API, staff API, health and metrics.
    Serve,
    /// Create and list projects.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Create staff API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Inspect and retry the forwarding outbox.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Create and list staff accounts of the dashboard (/app).
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is prompted for (or read from standard input
    /// when that is not a terminal), unless --invite prints a one-time link instead.
    Create(UserCreate),
    /// List staff accounts with their roles and projects.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct UserCreate {
    /// The e-mail address the user signs in with.
    #[arg(long)]
    pub email: String,
    /// admin (everything, every project), triager (triage their projects) or viewer (read
    /// their projects).
    #[arg(long)]
    pub role: String,
    /// A project the user may see (repeatable; admins see every project).
    #[arg(long = "project", value_name = "NAME")]
    pub projects: Vec<String>,
    /// Print a one-time link where the user chooses their password, instead of asking now.
    #[arg(long)]
    pub invite: bool,
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List outbox rows, newest first.
    List {
        /// Only rows in this state: pending, done or dead.
        #[arg(long)]
        state: Option<String>,
        /// The most rows to show.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Put dead-lettered rows back in the queue.
    Retry {
        /// The row to retry.
        #[arg(
            long,
            conflicts_with = "all_dead",
            required_unless_present = "all_dead"
        )]
        id: Option<i64>,
        /// Retry every dead row.
        #[arg(long)]
        all_dead: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Create a project and print its public key.
    Create(ProjectCreate),
    /// Change a project's settings from the command line.
    Set(ProjectSet),
    /// List projects with their keys and origins.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ProjectCreate {
    /// A unique name.
    #[arg(long)]
    pub name: String,
    /// An origin allowed to post reports, such as https://app.example (repeatable).
    #[arg(long = "origin", value_name = "URL")]
    pub origins: Vec<String>,
    /// Accept reports without an Origin header (servers, CI jobs) on the key alone.
    #[arg(long)]
    pub allow_no_origin: bool,
    /// A route rule PATTERN=COMPONENT, such as '/checkout/**=checkout' (repeatable, first
    /// match wins).
    #[arg(long = "route", value_name = "PATTERN=COMPONENT")]
    pub routes: Vec<String>,
    /// Store reports as sent, without PII scrubbing.
    #[arg(long)]
    pub no_scrub: bool,
    /// Give every report its own defect instead of folding duplicates together.
    #[arg(long)]
    pub no_dedup: bool,
    /// The score a report needs to join an existing defect (default 0.5; higher folds less).
    #[arg(long, value_name = "SCORE")]
    pub dedup_threshold: Option<f32>,
    /// Never fold reports from different environments (production, staging) together.
    #[arg(long)]
    pub separate_environments: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ProjectSet {
    /// The project to change.
    #[arg(long)]
    pub name: String,
    /// A component's size for defect density, COMPONENT=KLOC such as checkout=12.5
    /// (thousands of lines of code; repeatable).
    #[arg(long = "component-size", value_name = "COMPONENT=KLOC")]
    pub component_sizes: Vec<String>,
    /// Forget a component's size (repeatable).
    #[arg(long = "remove-component-size", value_name = "COMPONENT")]
    pub remove_component_sizes: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a staff token and print it once; only its hash is stored.
    Create {
        /// Who or what the token is for.
        #[arg(long)]
        name: String,
    },
}
