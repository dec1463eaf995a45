"""`python -m streams` runs the newsstream command line."""

from streams.commands.main import main

if __name__ == "__main__":
    main()
