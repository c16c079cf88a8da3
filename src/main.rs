//! The thin binary: parse the command line, run a command (or the workbench).

use clap::Parser;

fn main() {
    let cli = casebench::cli::Cli::parse();
    std::process::exit(casebench::commands::main_with(cli));
}
