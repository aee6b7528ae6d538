// require, exclude and replace versions are made canonical; retract versions are kept as written.
module example.com/versions

require (
	example.com/short v1.2
	example.com/shorter v1
	example.com/build v1.2.3+meta.1
	example.com/pre v1.2.3-rc.1+build.5
	example.com/incompatible v2.0.0+incompatible
	example.com/major/v2 v2.1.0
	example.com/major/v10 v10.0.0
	gopkg.in/yaml.v2 v2.4.0
	gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405
	gopkg.in/unstable.v3-unstable v3.0.0
)

exclude example.com/short v1.3

replace example.com/short v1.2 => example.com/fork v2.0.0+incompatible

retract v1.2
retract [v1, v1.1]
retract "v0.1.0"
