import CensusScan
