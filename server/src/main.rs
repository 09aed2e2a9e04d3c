//! `snag`: the server and its command line, wiring the crates together.

mod cli;
mod commands;
mod config;
mod dashboard;
mod folding;
mod forward;
mod http;
mod ingest;
mod keys;
mod metrics;
mod projects;
mod quality;
mod rate_limit;
mod state;
mod telemetry;

use clap::Parser;

use cli::{Cli, Command, OutboxCommand, ProjectCommand, TokenCommand, UserCommand};
use config::Config;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve => commands::serve::run(config),
        Command::Project(ProjectCommand::Create(args)) => commands::project::create(&config, &args),
        Command::Project(ProjectCommand::List { json }) => commands::project::list(&config, json),
        Command::Project(ProjectCommand::Set(args)) => commands::project::set(&config, &args),
        Command::User(UserCommand::Create(args)) => commands::user::create(&config, &args),
        Command::User(UserCommand::List { json }) => commands::user::list(&config, json),
        Command::Token(TokenCommand::Create { name }) => commands::token::create(&config, &name),
        Command::Migrate => commands::migrate(&config),
        Command::Outbox(OutboxCommand::List { state, limit, json }) => {
            commands::outbox::list(&config, state.as_deref(), limit, json)
        }
        Command::Outbox(OutboxCommand::Retry { id, all_dead: _ }) => {
            commands::outbox::retry(&config, id)
        }
    }
}
