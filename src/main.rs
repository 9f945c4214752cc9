fn main() {
    std::process::exit(ecsc::cli::run(std::env::args_os()));
}
