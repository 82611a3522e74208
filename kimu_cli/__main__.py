from kimu_cli.cli import main

main()
