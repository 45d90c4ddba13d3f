#include "vectobeat/app/cli.hpp"

int main(int argc, char** argv) { return vb::app::run_cli(argc, argv); }
