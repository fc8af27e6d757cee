use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = rencontres::cli::Cli::parse();
    match rencontres::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
