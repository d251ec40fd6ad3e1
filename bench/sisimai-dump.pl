#!/usr/bin/perl
#
# NAME
#	sisimai-dump.pl - Sisimai's reading of each bounce file, as JSON
# SYNOPSIS
#	perl bench/sisimai-dump.pl FILE...
# DESCRIPTION
#	The Sisimai side of `make bench`: one perl process that calls
#	Sisimai->dump($file) for every FILE, in order, and prints the JSON
#	it returns, one line per file ("[]" when Sisimai finds no bounce
#	or cannot read the file).  Nothing else is done per file, so the
#	time measured is Sisimai's (plus one perl start-up, as dsnmilter's
#	time includes one process start-up).
# DIAGNOSTICS
#	Exit status 0, or 1 without arguments or when Sisimai is missing.
use strict;
use warnings;

BEGIN {
	unless (eval { require Sisimai; 1 }) {
		print STDERR "sisimai-dump.pl: Sisimai is not installed\n";
		exit 1;
	}
}

unless (@ARGV) {
	print STDERR "usage: sisimai-dump.pl FILE...\n";
	exit 1;
}
binmode STDOUT, ':raw';
for my $file (@ARGV) {
	my $json = Sisimai->dump($file);
	print defined $json ? $json : '[]', "\n";
}
exit 0;
