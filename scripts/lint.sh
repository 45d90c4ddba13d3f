#!/usr/bin/env bash
# Source checks that the compilers miss. Run by ctest (test "lint").
#
# 1. g++ 12 destroys a lambda written inside a co_await expression twice (heap
#    use-after-free; clang and the sanitizer build are unaffected). Name the lambda
#    first and co_await with std::move(lambda). See docs/architecture.md.
# 2. g++ 12 and clang 14 both miscompile `c ? co_await a : co_await b` (use after
#    free). Use an if/else with one co_await per branch.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r -d '' f; do
  perl -0777 -ne '
    my $src = $_;
    $src =~ s{//[^\n]*}{}g;                     # drop line comments
    my $pos = 0;
    for my $stmt (split /;/, $src) {
      if ($stmt =~ /\bco_await\b/ && $stmt =~ /co_await\b.*?\[[^\[\]]*\]\s*(\(|\{|mutable\b|->)/s) {
        my $before = substr($src, 0, $pos);
        my $line = ($before =~ tr/\n//) + 1 + (($stmt =~ /^(\s*)/) ? (($1 =~ tr/\n//)) : 0);
        print "$ARGV:$line: lambda inside a co_await expression (g++ 12 miscompiles it; name it first)\n";
        $bad = 1;
      }
      if ($stmt =~ /\?[^?;]*?\bco_await\b/s && $stmt !~ /\?\?/) {
        my $before = substr($src, 0, $pos);
        my $line = ($before =~ tr/\n//) + 1 + (($stmt =~ /^(\s*)/) ? (($1 =~ tr/\n//)) : 0);
        print "$ARGV:$line: co_await inside a conditional expression (miscompiled by g++ 12 and clang 14; use if/else)\n";
        $bad = 1;
      }
      $pos += length($stmt) + 1;
    }
    END { exit($bad ? 1 : 0) }
  ' "$f" || status=1
done < <(find libs apps tests bench fuzz \( -name '*.cpp' -o -name '*.hpp' \) -print0 2>/dev/null | sort -z)
if [[ $status == 0 ]]; then echo "lint: ok"; fi
exit $status
