from caring.cli import main

main()
