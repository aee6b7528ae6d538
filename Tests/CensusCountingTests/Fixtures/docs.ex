# census-expect: code=8 comments=7 blanks=1
defmodule Greeter do
  @moduledoc """
  Greets people.
  """

  @doc ~S"""
  Says hello.
  """
  def hello(name) do
    template = """
    Hello, #{name}
    """
    template
  end
end
